"""The site's DAG pages, "used in", deprecation uses and the "What changed" page, built from
the example platform's real DAGs and a previous catalog of its package."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup

ACME = "reference/acme-platform"


def page(app: Any, docname: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{docname}.html").read_text(), "html.parser")


def text_of(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def warnings_of(app: Any) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue())


_BUILT: dict[str, SimpleNamespace] = {}


def copy_root(rootdir: Path, target: Path) -> Path:
    """The test root copied to ``target`` (builds write the reference pages into it)."""
    shutil.copytree(rootdir / "test-dags", target)
    return target


@pytest.fixture
def built(make_app: Any, rootdir: Path, tmp_path_factory: Any) -> SimpleNamespace:
    """One HTML build for the module's tests: its output folder, warnings and DAG folder."""
    if "html" not in _BUILT:
        srcdir = copy_root(rootdir, tmp_path_factory.mktemp("dags") / "src")
        app = make_app("html", srcdir=srcdir, freshenv=True)
        app.build()
        _BUILT["html"] = SimpleNamespace(
            outdir=app.outdir,
            warnings=warnings_of(app),
            dag_folder=Path(app.config.etl_dag_folders[0]),
        )
    return _BUILT["html"]


def test_every_dag_has_a_page_listed_in_the_dag_index(built: Any) -> None:
    index = page(built, "reference/dags/index")
    links = [a.get_text() for a in index.select("table.etl-dags a")]
    assert links == ["daily_entity_archive", "fulfilment_order_archive", "legacy_customer_export"]
    assert "@daily" in text_of(index)


def test_a_dag_page_reads_like_its_workflow(built: Any) -> None:
    soup = page(built, "reference/dags/daily_entity_archive")
    body = text_of(soup)
    assert "Every day the CRM export lands a batch of customers" in body  # its doc_md
    assert "sales-data" in body and "@daily" in body
    rows = soup.select("table.etl-dag-tasks tbody tr")
    order = [row.select("td")[0].get_text(strip=True) for row in rows]
    assert order == [
        "collect_customer_batch",
        "load_customers_into_warehouse",
        "archive_customers",
        "wait_for_crm_segments",
        "report_customer_metrics",
    ]
    operator = rows[0].select("td")[1].find("a")
    assert operator is not None and operator["href"].startswith(
        "../acme-platform/WaitForBatchOperator.html"
    )
    # What the operator does: its summary from the catalog.
    assert "Wait for an ingestion batch" in rows[0].get_text()
    assert soup.select(".graphviz, img[alt^='Dependencies of daily_entity_archive'], object")


def test_a_dag_without_doc_md_says_so(built: Any) -> None:
    body = text_of(page(built, "reference/dags/legacy_customer_export"))
    assert "This DAG has no doc_md" in body
    assert "A Python function (TaskFlow)" in body


def test_component_pages_say_which_dags_use_them(built: Any) -> None:
    soup = page(built, f"{ACME}/ArchiveIngestedEntitiesOperator")
    section = soup.find(string=re.compile("Used in DAGs"))
    assert section is not None
    links = {a.get_text() for a in soup.select("a") if "dags/" in a.get("href", "")}
    assert links == {"daily_entity_archive", "fulfilment_order_archive"}
    assert "Used in 2 DAG(s)" in text_of(soup)
    unused = text_of(page(built, f"{ACME}/BatchCompleteTrigger"))
    assert "No DAG of this platform uses it." in unused


def test_the_catalog_counts_dags(built: Any) -> None:
    soup = page(built, "index")
    counts = {
        row.select("td")[0].find("a").get_text(): row.select("td")[2].get_text(strip=True)
        for row in soup.select("table.etl-catalog-table tbody tr")
    }
    assert counts["ArchiveIngestedEntitiesOperator"] == "2 DAGs"
    assert counts["LegacyExportOperator"] == "1 DAG"
    assert counts["BatchCompleteTrigger"] == "0 DAGs"


def test_deprecated_uses_and_unreadable_dags_are_located_warnings(built: Any) -> None:
    warnings = built.warnings
    legacy = re.search(
        r"legacy_customer_export\.py:(\d+): WARNING: DAG legacy_customer_export: "
        r"task 'export_customers' uses the deprecated "
        r"acme_platform\.operators\.legacy\.LegacyExportOperator.*\[etl\.usage\]",
        warnings,
    )
    assert legacy is not None
    source = (built.dag_folder / "legacy_customer_export.py").read_text()
    assert "LegacyExportOperator(" in source.splitlines()[int(legacy[1]) - 1]
    assert re.search(r"dags/broken\.py:4: WARNING: .*\[etl\.dag\]", warnings)
    # The conforming DAGs use nothing deprecated.
    assert "daily_entity_archive.py" not in warnings


def test_what_changed_lists_changes_by_severity(built: Any) -> None:
    soup = page(built, "reference/changes")
    body = text_of(soup)
    assert "3 breaking, 2 warning, 2 info" in body
    breaking = soup.select_one(".etl-changes-breaking").find_next("ul").get_text(" ")
    assert "CsvExportOperator removed" in breaking
    assert re.search("[\u2018']metric_prefix[\u2019'] is now required", breaking)
    assert re.search("[\u2018']chunk_size[\u2019'] removed", breaking)
    # A change links its component's page, unless the component is gone.
    hrefs = [a["href"] for a in soup.select("a") if "acme-platform/" in a.get("href", "")]
    assert any("CollectMetricsOperator" in href for href in hrefs)
    assert not any("CsvExportOperator" in href for href in hrefs)


def test_changed_components_get_a_badge_and_a_section(built: Any) -> None:
    metrics = page(built, f"{ACME}/CollectMetricsOperator")
    assert metrics.select_one(".etl-badge-changed-breaking").get_text() == "changed: breaking"
    assert "Changed in this release" in text_of(metrics)
    added = page(built, f"{ACME}/WaitForBatchOperator")
    assert added.select_one(".etl-badge-new").get_text() == "new in this release"
    unchanged = page(built, f"{ACME}/BatchCompleteTrigger")
    assert not unchanged.select("[class*='etl-badge-changed'], .etl-badge-new")


def test_a_first_release_gets_a_page_that_says_so(
    make_app: Any, rootdir: Path, tmp_path: Path
) -> None:
    app = make_app(
        "html",
        srcdir=copy_root(rootdir, tmp_path / "src"),
        freshenv=True,
        confoverrides={"etl_compare_with": "https://127.0.0.1:9/none/catalog.json"},
    )
    app.build()
    assert re.search(
        r"WARNING: no previous catalog to compare with .*\[etl\.diff\]", warnings_of(app)
    )
    assert "There is nothing to compare this release with" in text_of(
        page(app, "reference/changes")
    )


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_other_builders_render_dag_and_changes_pages(
    make_app: Any, rootdir: Path, tmp_path: Path, builder: str
) -> None:
    app = make_app(builder, srcdir=copy_root(rootdir, tmp_path / "src"), freshenv=True)
    app.build()
    if builder == "text":
        dag = (Path(app.outdir) / "reference/dags/daily_entity_archive.txt").read_text()
        assert "collect_customer_batch" in dag and "Every day the CRM export" in dag
        changes = (Path(app.outdir) / "reference/changes.txt").read_text()
        assert "CsvExportOperator removed" in changes
    else:
        tex = next(Path(app.outdir).glob("*.tex")).read_text()
        assert "fulfilment\\_order\\_archive" in tex
