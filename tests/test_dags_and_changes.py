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
    links = [a.get_text() for a in index.select("table.etl-dags tbody td:first-child a")]
    assert links == [
        "daily_entity_archive",
        "fulfilment_order_archive",
        "legacy_customer_export",
        "sales_order_intake",
        "sales_order_reporting",
    ]
    # The schedule in words (the raw expression is on the DAG's page).
    daily = index.select_one("table.etl-dags tbody tr").select("td")[3]
    assert daily.get_text(strip=True) == "Every day at 00:00 (UTC)"


def test_the_dag_index_says_owner_tags_schedule_and_data(built: Any) -> None:
    index = page(built, "reference/dags/index")
    assert [th.get_text() for th in index.select("table.etl-dags thead th")] == [
        "DAG",
        "Owner",
        "Tags",
        "Schedule",
        "Consumes",
        "Produces",
    ]
    rows = {
        row.select_one("td a").get_text(): row.select("td")
        for row in index.select("table.etl-dags tbody tr")
    }
    intake = [" ".join(cell.get_text(" ").split()) for cell in rows["sales_order_intake"]]
    assert intake[1:] == [
        "sales-data",
        "acme sales",
        "Every day at 01:30 (UTC)",
        "\u2014",
        "sales_orders",
    ]
    reporting = rows["sales_order_reporting"]
    assert reporting[3].get_text(" ").split() == ["When", "sales_orders", "is", "updated"]
    assert reporting[4].find("a")["href"].startswith("assets.html#etl-asset-")
    # The index links the Assets page, and keeps it in the navigation.
    assert index.select_one("a[href='assets.html']") is not None


def test_a_dag_page_reads_like_its_workflow(built: Any) -> None:
    soup = page(built, "reference/dags/daily_entity_archive")
    body = text_of(soup)
    assert "Every day the CRM export lands a batch of customers" in body  # its doc_md
    assert "sales-data" in body and "@daily" in body
    rows = soup.select("table.etl-dag-tasks tbody tr")
    order = [row.select_one("td code").get_text(strip=True) for row in rows]
    assert order == [
        "collect_customer_batch",
        "load_customers_into_warehouse",
        "archive_customers",
        "wait_for_crm_segments",
        "report_customer_metrics",
    ]
    # The step's operator, under its id.
    operator = rows[0].select("td")[0].find("a")
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


def fields_of(fields: Any) -> dict[str, str]:
    """A field list's ``name -> text``."""
    return {
        dt.get_text(strip=True).rstrip(":"): " ".join(dt.find_next("dd").get_text(" ").split())
        for dt in fields.select("dt")
    }


def facts(soup: BeautifulSoup, rubric: str) -> dict[str, str]:
    """The field list under a DAG page's rubric."""
    return fields_of(soup.select_one(f".{rubric}").find_next("dl"))


def test_a_dag_page_says_when_it_runs(built: Any) -> None:
    runs = facts(page(built, "reference/dags/sales_order_intake"), "etl-rubric-runs")
    assert runs["Schedule"] == "Every day at 01:30 (UTC) — 30 1 * * *"
    assert runs["Start date"] == "2025-01-01"
    assert runs["Catchup"].startswith("No: only the latest interval runs")
    assert runs["Timezone"] == "UTC"
    assert runs["Defined in"].endswith("sales_order_intake.py , line 23")


def test_a_dag_page_says_what_data_it_consumes_and_produces(built: Any) -> None:
    intake = page(built, "reference/dags/sales_order_intake")
    data = intake.select_one(".etl-rubric-data").find_next("dl")
    produced = data.find("a", string="sales_orders")
    assert produced["href"].startswith("assets.html#etl-asset-")
    assert facts(intake, "etl-rubric-data")["Feeds"] == "sales_order_reporting"
    reporting = page(built, "reference/dags/sales_order_reporting")
    assert facts(reporting, "etl-rubric-data") == {
        "Consumes": "When sales_orders is updated",
        "Produces": "sales_order_metrics",
        "Fed by": "sales_order_intake",
    }
    # The schedule's asset links the same entry as the producer's page does.
    consumed = reporting.select_one(".etl-rubric-runs").find_next("dl").find("a")
    assert consumed["href"] == produced["href"]


def test_a_dag_page_sums_up_the_systems_its_tasks_touch(built: Any) -> None:
    soup = page(built, "reference/dags/daily_entity_archive")
    systems = soup.select_one(".etl-rubric-systems").find_next("p")
    text = " ".join(systems.get_text(" ").split())
    assert text.startswith("Reads from acme_staging ; writes to acme_warehouse ; also uses")
    store = systems.select_one("a[href^='../acme-platform/ObjectStoreHook.html']")
    assert store is not None and store.get_text() == "ACME Object Store"
    # Each step says which connection means which hook, and its type.
    row = next(
        row
        for row in soup.select("table.etl-dag-tasks tbody tr")
        if row.select_one("td code").get_text() == "archive_customers"
    )
    assert "acme_object_store_default ( ObjectStoreHook , type acme_object_store )" in (
        " ".join(row.get_text(" ").split())
    )


def test_a_dag_page_says_what_happens_when_it_fails(built: Any) -> None:
    soup = page(built, "reference/dags/sales_order_intake")
    failure = facts(soup, "etl-rubric-failure")
    assert failure == {
        "Retries": "3 retries, 10 minutes apart",
        "Task timeout": "1 hour per try",
        "Run timeout": "3 hours",
        "On failure": "TeamChatNotifier to #sales-data",
        "Owners": "sales-data",
    }
    fields = soup.select_one(".etl-rubric-failure").find_next("dl")
    assert fields.find("a", string="TeamChatNotifier")["href"].startswith(
        "../acme-platform/TeamChatNotifier.html"
    )
    owner = fields.find("a", string="sales-data")
    assert owner["href"] == "https://chat.acme.example/channels/sales-data"
    # A step that retries otherwise says so on its row.
    assert "defaults: 5 retries, 10 minutes apart." in text_of(soup)


def test_task_groups_are_sections_of_the_steps(built: Any) -> None:
    soup = page(built, "reference/dags/sales_order_intake")
    tables = soup.select("table.etl-dag-tasks")
    steps = [
        [code.get_text() for code in t.select("tbody td:first-child > p:first-child code")]
        for t in tables
    ]
    assert steps == [
        ["wait_for_order_batch"],
        ["load.load_orders", "load.load_order_lines"],
        ["archive_entities"],
    ]
    group = tables[1].find_previous(class_="etl-dag-group")
    assert group.get_text() == "load"
    assert group.find_next("p").get_text() == "Orders and order lines, into the warehouse"
    mapped = tables[2].select_one(".etl-badge-mapped")
    assert mapped is not None and mapped.get_text() == "mapped"
    # A step's own doc (Markdown) says what it does, instead of its operator's summary.
    first = tables[0].select_one("tbody td:last-child")
    assert " ".join(first.get_text(" ").split()) == (
        "The order service writes a _SUCCESS marker once the night\u2019s batch is whole."
    )


def test_the_dag_graph_clusters_groups_and_links_operators(built: Any) -> None:
    soup = page(built, "reference/dags/sales_order_intake")
    graph = soup.select_one("div.graphviz img.etl-dag-graph")
    areas = {area["title"]: area["href"] for area in soup.select(f"map#{graph['usemap'][1:]} area")}
    assert (
        areas[
            "wait_for_order_batch: The order service writes a _SUCCESS marker once the "
            "night's batch is whole."
        ]
        == "../acme-platform/WaitForBatchOperator.html"
    )
    source = (
        Path(built.outdir).parent.parent / "reference/dags/sales_order_intake.rst"
    ).read_text()
    assert 'subgraph "cluster_load" {' in source
    assert 'tooltip="Orders and order lines, into the warehouse"' in source


def test_the_assets_page_lists_every_asset_with_its_dags(built: Any) -> None:
    soup = page(built, "reference/dags/assets")
    intake = page(built, "reference/dags/sales_order_intake")
    href = intake.select_one(".etl-rubric-data").find_next("dl").find("a")["href"]
    entry = soup.find(id=href.partition("#")[2])
    assert entry.get_text() == "sales_orders"
    assert fields_of(entry.find_next("dl")) == {
        "URI": "postgres://acme-warehouse:5432/sales/public/orders",
        "Produced by": "sales_order_intake",
        "Consumed by": "sales_order_reporting",
    }


def test_the_assets_page_draws_the_platforms_data_flow(built: Any) -> None:
    soup = page(built, "reference/dags/assets")
    graph = soup.select_one("div.graphviz img.etl-data-flow")
    assert "sales_order_intake feeds sales_order_reporting (sales_orders)" in graph["alt"]
    areas = {area["title"]: area["href"] for area in soup.select(f"map#{graph['usemap'][1:]} area")}
    assert areas["Report order metrics whenever sales_orders is updated."] == (
        "sales_order_reporting.html"
    )
    # A DAG that feeds no other one is left out.
    assert "fulfilment_order_archive" not in graph["alt"]


def test_generated_dag_pages_build_without_warnings(built: Any) -> None:
    assert "reference/dags/" not in built.warnings


def test_without_graphviz_the_build_says_how_to_get_graphs(
    make_app: Any, rootdir: Path, tmp_path: Path
) -> None:
    app = make_app(
        "html",
        srcdir=copy_root(rootdir, tmp_path / "src"),
        freshenv=True,
        confoverrides={"graphviz_dot": str(tmp_path / "no-dot")},
    )
    app.build()
    status = re.sub(r"\x1b\[[0-9;]*m", "", app._status.getvalue())
    assert status.count("was not found: DAG pages list their dependencies") == 1
    assert "apt-get install graphviz" in status
    soup = page(app, "reference/dags/sales_order_intake")
    assert not soup.select(".graphviz")
    assert "wait_for_order_batch → load.load_orders" in text_of(soup)
    assert "sales_order_intake feeds sales_order_reporting (sales_orders)" in text_of(
        page(app, "reference/dags/assets")
    )


def test_component_pages_say_which_dags_use_them(built: Any) -> None:
    soup = page(built, f"{ACME}/ArchiveIngestedEntitiesOperator")
    section = soup.find(string=re.compile("Used in DAGs"))
    assert section is not None
    links = {a.get_text() for a in soup.select("a") if "dags/" in a.get("href", "")}
    assert links == {"daily_entity_archive", "fulfilment_order_archive", "sales_order_intake"}
    assert "Used in 3 DAG(s)" in text_of(soup)
    unused = text_of(page(built, f"{ACME}/BatchCompleteTrigger"))
    assert "No DAG of this platform uses it." in unused


def test_the_catalog_counts_dags(built: Any) -> None:
    soup = page(built, "index")
    counts = {
        row.select("td")[0].find("a").get_text(): row.select("td")[2].get_text(strip=True)
        for row in soup.select("table.etl-catalog-table tbody tr")
    }
    assert counts["ArchiveIngestedEntitiesOperator"] == "3 DAGs"
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
    # The info count holds the example platform's five DAGs, each new since the previous release.
    assert "3 breaking, 2 warning, 7 info" in body
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
