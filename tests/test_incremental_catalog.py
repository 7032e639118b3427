"""Catalog pages follow the installed code across incremental rebuilds (each build a process)."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from harbour_site import OPERATOR, build, reread, write_package, write_source
from sphinx.testing.util import SphinxTestApp

from sphinxext_etl.directives import catalog as catalog_directive
from sphinxext_etl.model import Catalog
from sphinxext_etl.render.catalog import CatalogTables, Query, catalog_tables


def write_site(root: Path) -> tuple[Path, Path]:
    package = write_package(root)
    src = write_source(root, "etl_generate_reference = False", index="catalog\nother")
    (src / "catalog.rst").write_text("Catalog\n=======\n\n.. operator-catalog::\n")
    (src / "other.rst").write_text("Other\n=====\n\nNo catalog here.\n")
    return package, src


def test_catalog_page_is_reread_only_when_its_output_changes(tmp_path: Path) -> None:
    package, src = write_site(tmp_path)
    assert reread(build(src, tmp_path)) == {"index", "catalog", "other"}
    assert reread(build(src, tmp_path)) == set(), "a no-change rebuild reads nothing"

    (package / "ship.py").write_text(OPERATOR.format(summary="Ship cargo to a harbour."))
    assert reread(build(src, tmp_path)) == {"catalog"}
    html = (tmp_path / "out" / "catalog.html").read_text()
    assert "Ship cargo to a harbour." in html

    # A docstring change the catalog doesn't show re-reads nothing.
    text = (package / "ship.py").read_text().replace("where to ship to.", "the port's code.")
    (package / "ship.py").write_text(text)
    assert reread(build(src, tmp_path)) == set()


def recorded_inputs(root: Path) -> set[str]:
    """The inputs' keys the saved env's catalog records were noted with."""
    with (root / "out" / ".doctrees" / "environment.pickle").open("rb") as saved:
        env = pickle.load(saved)
    return {inputs for inputs, _ in catalog_directive.RENDERS.of(env)["catalog"].values()}


def test_a_catalog_that_came_out_the_same_is_trusted_from_then_on(tmp_path: Path) -> None:
    """New inputs (a docstring the catalog does not show) and another page edited: the
    catalog is worked out again once and recorded with the new inputs' key, so that later
    rebuilds trust it instead of working it out on every build."""
    package, src = write_site(tmp_path)
    build(src, tmp_path)
    first = recorded_inputs(tmp_path)
    text = (package / "ship.py").read_text().replace("where to ship to.", "the port's code.")
    (package / "ship.py").write_text(text)
    (src / "other.rst").write_text("Other\n=====\n\nStill no catalog here.\n")
    assert reread(build(src, tmp_path)) == {"other"}
    second = recorded_inputs(tmp_path)
    assert len(first) == len(second) == 1 and "" not in second
    assert second != first


@pytest.mark.sphinx("html", testroot="catalog", freshenv=True)
def test_catalog_from_the_same_inputs_is_not_rendered_again(
    app: SphinxTestApp, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild from the same cached records and DAG scan trusts what each catalog showed
    last time; from other inputs, it works out the catalog again to compare."""
    app.build()
    make_app("html", srcdir=app.srcdir).build()  # from cached records: the inputs have a key
    worked_out: list[Query] = []

    def shown(catalog: Catalog, query: Query, used_in: Any = None) -> CatalogTables:
        worked_out.append(query)
        return catalog_tables(catalog, query, used_in)

    monkeypatch.setattr(catalog_directive, "catalog_tables", shown)
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    assert worked_out == []

    records = catalog_directive.RENDERS.of(again.env)
    assert records  # the catalogs are recorded, with the key of their inputs
    stale = {d: {k: ("other inputs", r[1]) for k, r in q.items()} for d, q in records.items()}
    assert not any(catalog_directive.RENDERS.changed(again.env, q) for q in stale.values())
    assert len(worked_out) == sum(len(q) for q in records.values())

    # What came out the same from the new inputs is noted with them: not worked out again.
    worked_out.clear()
    assert not any(catalog_directive.RENDERS.changed(again.env, q) for q in stale.values())
    assert worked_out == []
