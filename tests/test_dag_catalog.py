"""The ``dag-catalog`` directive, built over the example platform's DAGs and a finance DAG of two
owners: its rows, links and filter classes, its options, and the DAG index that uses it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from harbour_site import build

#: The DAGs owned by sales-data: three of the example platform's, and finance_close, whose
#: second task sales-data owns.
SALES_DATA = [
    "daily_entity_archive",
    "finance_close",
    "sales_order_intake",
    "sales_order_reporting",
]

_BUILT: dict[str, SimpleNamespace] = {}


def page(built: Any, docname: str) -> BeautifulSoup:
    return BeautifulSoup((Path(built.outdir) / f"{docname}.html").read_text(), "html.parser")


def tables(soup: BeautifulSoup) -> list[Tag]:
    return soup.select(".etl-catalog table.etl-dag-catalog")


def one(tag: Tag, selector: str) -> Tag:
    found = tag.select_one(selector)
    assert found is not None, selector
    return found


def href(tag: Tag, selector: str = "a") -> str:
    return str(one(tag, selector)["href"])


def dag_ids(table: Tag) -> list[str]:
    return [one(row, "td").get_text(strip=True) for row in table.select("tbody tr")]


def row_of(table: Tag, dag_id: str) -> Tag:
    return next(row for row in table.select("tbody tr") if dag_id in one(row, "td").text)


def copy_root(rootdir: Path, target: Path) -> Path:
    """The test root copied to ``target`` (builds write the reference pages into it)."""
    shutil.copytree(rootdir / "test-dag-catalog", target)
    return target


def build_once(make_app: Any, rootdir: Path, tmp: Path, name: str, **overrides: Any) -> Any:
    """One HTML build per settings for the module's tests: its output folder and warnings."""
    if name not in _BUILT:
        app = make_app("html", srcdir=copy_root(rootdir, tmp / name), confoverrides=overrides)
        app.build()
        warnings = re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue())
        _BUILT[name] = SimpleNamespace(outdir=app.outdir, warnings=warnings)
    return _BUILT[name]


@pytest.fixture
def built(make_app: Any, rootdir: Path, tmp_path_factory: Any) -> Any:
    return build_once(make_app, rootdir, tmp_path_factory.mktemp("dag-catalog"), "html")


def test_the_owners_option_keeps_the_dags_any_of_whose_owners_it_names(built: Any) -> None:
    (table,) = tables(page(built, "team"))
    assert dag_ids(table) == SALES_DATA


def test_each_row_links_its_dag_page_in_the_reference_folder(built: Any) -> None:
    (table,) = tables(page(built, "team"))
    links = [href(row, "td a") for row in table.select("tbody tr")]
    assert links == [f"reference/dags/{dag_id}.html" for dag_id in SALES_DATA]
    assert all((Path(built.outdir) / link).is_file() for link in links)


def test_each_row_carries_a_class_per_owner_and_per_tag(built: Any) -> None:
    (table,) = tables(page(built, "team"))
    assert {"etl-catalog-table", "etl-dag-catalog", "etl-dags"} <= set(table["class"])
    classes = row_of(table, "finance_close")["class"]
    assert [c for c in classes if c.startswith("etl-")] == [
        "etl-row",
        "etl-owner-finance",
        "etl-owner-sales-data",
        "etl-tag-finance-reports",
        "etl-tag-acme",
    ]


def test_the_default_columns_say_owner_tags_schedule_and_data(built: Any) -> None:
    (table,) = tables(page(built, "team"))
    titles = [th.get_text(strip=True) for th in table.select("thead th")]
    assert titles == ["DAG", "Owner", "Tags", "Schedule", "Consumes", "Produces"]
    finance = [cell.get_text(" ", strip=True) for cell in row_of(table, "finance_close")("td")]
    assert finance[1:] == [
        "finance, sales-data",
        "Finance Reports acme",
        "On day 1 of every month at 00:00 (UTC)",
        "\u2014",
        "\u2014",
    ]
    assert row_of(table, "finance_close").select("td span.etl-badge.etl-badge-tag")


def test_an_asset_schedule_links_each_asset_to_the_assets_page(built: Any) -> None:
    (table,) = tables(page(built, "team"))
    schedule, consumes = row_of(table, "sales_order_reporting")("td")[3:5]
    assert schedule.get_text(" ").split() == ["When", "sales_orders", "is", "updated"]
    for cell in (schedule, consumes):
        assert href(cell).startswith("reference/dags/assets.html#etl-asset-")


def test_the_tags_option_keeps_the_dags_with_any_of_its_tags(built: Any) -> None:
    tagged, crm = tables(page(built, "tagged"))
    # "Finance Reports" names the tag as given and as its class spells it.
    assert dag_ids(tagged) == ["finance_close", "legacy_customer_export"]
    assert "etl-test-tagged" in tagged["class"]
    # Owners and tags together: both must hold.
    assert dag_ids(crm) == ["legacy_customer_export"]


def test_the_columns_option_chooses_tasks_and_file(built: Any) -> None:
    (table,) = tables(page(built, "columns"))
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["DAG", "Tasks", "File"]
    cells = [cell.get_text(strip=True) for cell in row_of(table, "finance_close")("td")]
    assert cells == ["finance_close", "2", "dags/finance_close.py"]


def test_bad_option_values_are_located_warnings_and_the_build_goes_on(built: Any) -> None:
    warnings = built.warnings
    assert re.search(
        r"bad-options\.rst:4: WARNING: dag-catalog: unknown column\(s\) colour; choose from "
        r"dag, owner, tags, schedule, consumes, produces, tasks, file \[etl\.option\]",
        warnings,
    )
    assert re.search(
        r"bad-options\.rst:4: WARNING: dag-catalog: no DAG has the owner 'nobody-here' in this "
        r"build \(known: crm-data, finance, fulfilment-data, sales-data\) \[etl\.option\]",
        warnings,
    )
    assert re.search(
        r"bad-options\.rst:10: WARNING: dag-catalog: no DAG has the tag 'no-such-tag'", warnings
    )
    first, second = page(built, "bad-options").select(".etl-catalog")
    # The known column and owner still show.
    assert [th.get_text(strip=True) for th in first.select("thead th")] == ["DAG", "Owner"]
    assert dag_ids(one(first, "table")) == SALES_DATA
    assert second.get_text(strip=True) == "No DAGs match this catalog\u2019s filters."


def test_the_dag_index_is_a_dag_catalog_with_its_toctree(built: Any) -> None:
    index = page(built, "reference/dags/index")
    (table,) = tables(index)
    assert dag_ids(table) == sorted(
        [*SALES_DATA, "fulfilment_order_archive", "legacy_customer_export"]
    )
    assert href(row_of(table, "finance_close"), "td a") == "finance_close.html"
    assert index.select_one("a[href='assets.html']") is not None
    # Its intro, and the DAG pages it keeps in the navigation.
    assert "The DAGs of this platform" in index.get_text()
    assert index.select_one("a.reference.internal[href='finance_close.html']") is not None
    navigation = (Path(built.outdir) / "reference/dags/finance_close.html").read_text()
    assert 'href="index.html"' in navigation


def test_the_filter_loads_on_pages_with_a_dag_catalog_only(built: Any) -> None:
    def scripts(docname: str) -> set[str]:
        tags = page(built, docname).select("script[src]")
        return {str(tag["src"]).rpartition("/")[2].partition("?")[0] for tag in tags}

    assert "etl-catalog.js" in scripts("team")
    assert "etl-catalog.js" in scripts("reference/dags/index")
    assert "etl-catalog.js" not in scripts("index")


def test_without_reference_pages_nothing_links(
    make_app: Any, rootdir: Path, tmp_path_factory: Any
) -> None:
    tmp = tmp_path_factory.mktemp("dag-catalog-unlinked")
    unlinked = build_once(make_app, rootdir, tmp, "unlinked", etl_generate_reference=False)
    (table,) = tables(page(unlinked, "team"))
    assert dag_ids(table) == SALES_DATA
    assert not table.select("a")
    assert one(row_of(table, "finance_close"), "td code").get_text() == "finance_close"
    assert "undefined label" not in unlinked.warnings
    assert "unknown document" not in unlinked.warnings


def reread(log: str) -> set[str]:
    """Documents a verbose build read (see ``tests/test_incremental_catalog.py``)."""
    return {
        line.rsplit(" ", 1)[-1]
        for line in log.splitlines()
        if line.startswith("reading sources... [")
    }


def test_a_page_is_read_again_when_its_dag_catalog_would_change(
    rootdir: Path, tmp_path: Path
) -> None:
    """A DAG file is not the page's source: the page is read again when its table would
    come out differently, and only then."""
    src = copy_root(rootdir, tmp_path / "src")
    build(src, tmp_path)
    assert reread(build(src, tmp_path)) == set(), "a no-change rebuild reads nothing"

    dag = src / "dags" / "finance_close.py"
    dag.write_text(dag.read_text().replace('"Finance Reports"', '"Month End"'))
    found = reread(build(src, tmp_path))
    assert {"team", "tagged", "both", "reference/dags/index"} <= found
    assert "index" not in found
    team = BeautifulSoup((tmp_path / "out" / "team.html").read_text(), "html.parser")
    assert "etl-tag-month-end" in row_of(tables(team)[0], "finance_close")["class"]
