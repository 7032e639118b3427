"""The operator-catalog directive, built against the real installed Airflow and acme_platform."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import cell_text
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from sphinxext_etl import model
from sphinxext_etl.directives.packed import etl_packed


def soup_of(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup(
        (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8"), "html.parser"
    )


def rows(table: Tag) -> dict[str, list[str]]:
    """Table body rows by component name: each a list of cell texts."""
    found: dict[str, list[str]] = {}
    for row in table.select("tbody tr"):
        cells = [cell_text(td) for td in row.find_all("td")]
        found[cells[0].split()[0]] = cells
    return found


def section(soup: BeautifulSoup, section_id: str) -> Tag:
    found = soup.find("section", id=section_id)
    assert isinstance(found, Tag), section_id
    return found


def names_in(tag: Tag) -> set[str]:
    return {name for table in tag.select("table.etl-catalog-table") for name in rows(table)}


@pytest.mark.sphinx("html", testroot="catalog")
def test_bash_operator_shows_templated_fields_and_extensions(app: SphinxTestApp) -> None:
    app.build()
    table = soup_of(app, "index").select_one("table.etl-catalog-table")
    assert table is not None
    bash = rows(table)["BashOperator"]
    assert "airflow.providers.standard.operators.bash.BashOperator" in bash[0]
    assert bash[1] == "Operator"
    assert bash[2] == "Execute a Bash script, command or set of commands."
    assert "bash_command" in bash[4]
    assert "files: .sh , .bash" in bash[4] or "files: .sh, .bash" in bash[4]


@pytest.mark.sphinx("html", testroot="catalog")
def test_postgres_hook_shows_connection_type_and_default_id(app: SphinxTestApp) -> None:
    app.build()
    hooks = rows(section(soup_of(app, "filters"), "hooks").select_one("table"))
    assert hooks["PostgresHook"][1].startswith("postgres")
    assert "default: postgres_default" in hooks["PostgresHook"][1]
    assert "default: sqlite_default" in hooks["SqliteHook"][1]
    assert "acme_object_store" in hooks["ObjectStoreHook"][1]


@pytest.mark.sphinx("html", testroot="catalog")
def test_in_house_components_have_their_kinds(app: SphinxTestApp) -> None:
    app.build()
    everything = rows(soup_of(app, "index").select_one("table.etl-catalog-table"))
    expected = {
        "ObjectStoreHook": "Hook",
        "MetricsHook": "Hook",
        "ArchiveIngestedEntitiesOperator": "Operator",
        "CollectMetricsOperator": "Operator",
        "SqliteToPostgresOperator": "Transfer",
        "EntityArchivedSensor": "Sensor",
        "WaitForBatchOperator": "Operator",
        "BatchCompleteTrigger": "Trigger",
        "TeamChatNotifier": "Notifier",
        "LegacyExportOperator": "Operator",
    }
    assert {name: everything[name][1] for name in expected} == expected
    assert everything["WaitForBatchOperator"][5] == "yes"
    assert everything["ArchiveIngestedEntitiesOperator"][5] == "no"
    assert "(deprecated)" in everything["LegacyExportOperator"][0]
    assert everything["SqliteToPostgresOperator"][3].startswith("acme_platform 1.4.0")


@pytest.mark.sphinx("html", testroot="catalog")
def test_filters_filter(app: SphinxTestApp) -> None:
    app.build()
    soup = soup_of(app, "filters")
    hooks = names_in(section(soup, "hooks"))
    assert {"PostgresHook", "SqliteHook", "ObjectStoreHook", "FSHook"} <= hooks
    assert not hooks & {"BashOperator", "ArchiveIngestedEntitiesOperator"}

    acme = section(soup, "acme-only")
    assert names_in(acme) == {
        "ObjectStoreHook",
        "MetricsHook",
        "ArchiveIngestedEntitiesOperator",
        "CollectMetricsOperator",
        "SqliteToPostgresOperator",
        "EntityArchivedSensor",
        "WaitForBatchOperator",
        "BatchCompleteTrigger",
        "TeamChatNotifier",
    }, "deprecated components stay out without :include-deprecated:"
    assert [r.get_text() for r in acme.select("p.rubric")] == [
        "Hooks",
        "Notifiers",
        "Operators",
        "Sensors",
        "Transfers",
        "Triggers",
    ]

    assert names_in(section(soup, "postgres-match")) == {"PostgresHook", "SqliteToPostgresOperator"}
    assert "LegacyExportOperator" not in names_in(section(soup, "deprecated-hidden"))

    sensors = section(soup, "standard-sensors-by-provider")
    names = names_in(sensors)
    assert {"BashSensor", "FileSensor", "TimeDeltaSensor"} <= names
    assert all(n.endswith("Sensor") or "Sensor" in n or "Wait" in n for n in names)
    assert [r.get_text() for r in sensors.select("p.rubric")] == ["Standard"]


@pytest.mark.sphinx("html", testroot="dag-catalog")
def test_the_catalog_is_the_doctree_its_rest_gave(app: SphinxTestApp, file_regression: Any) -> None:
    """Built from data, the tables are the nodes the catalog's reST (a ``list-table`` per
    group, a rubric each, references, literals, the no-match sentence) parsed into: the
    snapshot was taken from that."""
    app.build()
    doctree = app.env.get_doctree("everything")
    for packed in list(doctree.findall(etl_packed)):
        packed.replace_self(pickle.loads(packed["subtree"]))
    catalogs = [c for c in doctree.findall(nodes.container) if "etl-catalog" in c["classes"]]
    # docutils 0.22 writes a boolean attribute as 1/0, older ones as True/False.
    text = "\n".join(c.pformat() for c in catalogs)
    flags = {"True": "1", "False": "0"}
    flag = re.compile(r'(refexplicit|refwarn)="(True|False)"')
    text = flag.sub(lambda m: f'{m[1]}="{flags[m[2]]}"', text)
    file_regression.check(text, extension=".xml")


@pytest.mark.sphinx("html", testroot="catalog")
def test_catalog_json_round_trips(app: SphinxTestApp) -> None:
    app.build()
    text = (Path(app.outdir) / "catalog.json").read_text(encoding="utf-8")
    catalog = model.loads(text)
    assert model.dumps(catalog) + "\n" == text
    bash = catalog.by_path()["airflow.providers.standard.operators.bash.BashOperator"]
    assert bash.template_ext == (".sh", ".bash")
    assert bash.parameter("bash_command").templated
    assert not bash.parameter("append_env").templated
    assert json.loads(text)["schema"] == model.SCHEMA_VERSION


@pytest.mark.sphinx("html", testroot="catalog", freshenv=True)
def test_catalog_json_is_not_serialised_again_for_the_same_records(
    app: SphinxTestApp, make_app: Any
) -> None:
    """A rebuild from the same cached records leaves catalog.json alone; a deleted one, or
    records read afresh, write it again."""
    app.build()
    make_app("html", srcdir=app.srcdir).build()  # from cached records, whatever ran before
    target = Path(app.outdir) / "catalog.json"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('"schema"', '"schema" '), encoding="utf-8")  # a marker
    make_app("html", srcdir=app.srcdir).build()
    assert target.read_text(encoding="utf-8") != text  # not serialised: the marker stays
    target.unlink()
    make_app("html", srcdir=app.srcdir).build()
    assert target.read_text(encoding="utf-8") == text


@pytest.mark.sphinx("html", testroot="broken", freshenv=True)
def test_broken_module_warns_and_is_read_statically(app: SphinxTestApp) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert (
        "operators.py:13: WARNING: cannot import module broken_pkg.operators: "
        "ModuleNotFoundError: No module named 'acme_missing_dependency'" in warnings
    )
    assert "[etl.import]" in warnings
    assert "cannot import module broken_pkg.exits: SystemExit: 3" in warnings
    table = rows(soup_of(app, "index").select_one("table.etl-catalog-table"))
    label = table["ShippingLabelOperator"]
    assert label[1] == "Operator"
    assert label[2].startswith("Print shipping labels for a batch of orders.")
    assert "introspected statically" in label[2]
    assert "batch_id" in label[3]
    assert table["ExitingSensor"][1] == "Sensor"
    assert table["LabelPrinterHook"][1] == "Hook"
    assert "introspected statically" not in table["GoodOperator"][2]


@pytest.mark.sphinx("html", testroot="broken", freshenv=True)
def test_bad_options_are_located_errors(app: SphinxTestApp) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "index.rst:10: ERROR" in warnings and "unknown kind 'widgets'" in warnings
    assert "index.rst:13: ERROR" in warnings and "unknown column(s) colour" in warnings
    assert "index.rst:16: ERROR" in warnings
    assert "invalid option value: (option: \"group-by\"; value: 'team')" in warnings
    assert "index.rst:19: WARNING: operator-catalog: no provider 'no-such-provider'" in warnings
    assert "Traceback" not in warnings


@pytest.mark.sphinx("text", testroot="catalog")
def test_text_builder_renders_the_catalog(app: SphinxTestApp) -> None:
    app.build()
    text = (Path(app.outdir) / "filters.txt").read_text(encoding="utf-8")
    assert "PostgresHook" in text and "postgres_default" in text
    assert "Connection type" in text


@pytest.mark.parametrize(
    "builder", ["html", "dirhtml", "singlehtml", "text", "latex", "man", "epub", "json"]
)
def test_every_builder_builds_the_catalog(
    builder: str, make_app, rootdir: Path, tmp_path: Path
) -> None:
    import shutil

    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-catalog", srcdir)
    app = make_app(builder, srcdir=srcdir)
    app.build()
    assert "Traceback" not in app.warning.getvalue()
    assert "ERROR" not in app.warning.getvalue()
    produced = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in Path(app.outdir).rglob("*")
        if p.is_file() and p.suffix in {".html", ".xhtml", ".txt", ".tex", ".1", ".fjson"}
    )
    assert "SqliteToPostgresOperator" in produced
