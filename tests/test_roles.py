"""Cross-reference roles: :operator:, :hook:, :sensor:, :transfer:, :trigger:, :notifier:, :etl:."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sphinxext_etl.build import data, roles
from sphinxext_etl.build.data import data_of
from sphinxext_etl.model import Catalog, Component, Kind

ROLES = pytest.mark.sphinx("html", testroot="reference", srcdir="reference-roles", freshenv=True)


def links(app: Any) -> dict[str, str]:
    soup = BeautifulSoup(Path(app.outdir, "roles.html").read_text(encoding="utf-8"), "html.parser")
    return {" ".join(a.get_text().split()): a["href"] for a in soup.select("a.reference.internal")}


@ROLES
def test_roles_resolve_to_component_pages(app: Any) -> None:
    app.build()
    found = links(app)
    assert found["BashOperator"] == (
        "reference/standard/BashOperator.html"
        "#airflow.providers.standard.operators.bash.BashOperator"
    )
    assert found["SqliteHook"].startswith("reference/sqlite/SqliteHook.html#")
    assert found["the copy job"].startswith("reference/acme-platform/SqliteToPostgresOperator.html")
    assert found["ObjectStoreHook"].startswith("reference/acme-platform/ObjectStoreHook.html")
    assert found["EntityArchivedSensor"].startswith("reference/acme-platform/EntityArchivedSensor")


@ROLES
def test_ambiguous_short_name_warns_with_candidates(app: Any, warning: Any) -> None:
    app.build()
    ambiguous = [line for line in warning.getvalue().splitlines() if "ambiguous" in line]
    assert len(ambiguous) == 1
    assert "shop_ops.exports.ExportOperator" in ambiguous[0]
    assert "shop_ops.legacy_exports.ExportOperator" in ambiguous[0]
    assert "roles.rst" in ambiguous[0] and "[etl.ref]" in ambiguous[0]


@ROLES
def test_unknown_and_wrong_kind_names_warn(app: Any, warning: Any) -> None:
    app.build()
    text = warning.getvalue()
    assert ":operator:`NoSuchOperator` names no operator" in text
    assert ":sensor:`BashOperator` names no sensor" in text
    assert "BashOperator (operator)" in text  # says what it found instead


CATALOG = Catalog(
    components=(
        Component("a.hooks.StoreHook", Kind.HOOK, "a"),
        Component("a.ops.ExportOperator", Kind.OPERATOR, "a"),
        Component("b.ops.ExportOperator", Kind.OPERATOR, "b"),
    )
)


def test_dotted_path_wins_over_a_shared_short_name() -> None:
    assert roles.resolve(CATALOG, "b.ops.ExportOperator", ()) == ("b.ops.ExportOperator", [])
    assert roles.resolve(CATALOG, "ExportOperator", ()) == (
        "",
        ["a.ops.ExportOperator", "b.ops.ExportOperator"],
    )
    assert roles.resolve(CATALOG, "StoreHook", (Kind.HOOK,)) == ("a.hooks.StoreHook", [])


def test_pages_are_reread_when_a_reference_resolves_differently() -> None:
    env = SimpleNamespace()
    data_of(env).catalog = CATALOG  # type: ignore[arg-type]
    roles.REFS.of(env).update(  # type: ignore[arg-type]
        {
            "uses-store": {("hook", "StoreHook", "")},
            "uses-export": {("operator", "ExportOperator", "")},
        }
    )
    # "ExportOperator" resolved once; now two components share the name.
    assert data.outdated_docs(None, env, set(), set(), set()) == ["uses-export"]  # type: ignore[arg-type]
