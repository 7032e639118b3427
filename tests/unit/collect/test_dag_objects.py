"""A DAG file parsed as Airflow parses it (in a worker), turned into the DAG model: every fact
the DAG page shows, read from Airflow's own objects."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinxext_etl.collect import dag_import
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model.dags import Callback, ConnectionUse, Dag, Parsed, ScheduleKind

FILE = Path(__file__).parents[2] / "fixtures" / "dag_documents" / "everything.py"


@pytest.fixture(scope="module")
def dag() -> Dag:
    scan, counts = dag_import.scan([FILE], EtlConfig(workers=1))
    assert (scan.problems, counts.imported) == ((), 1)
    (found,) = scan.dags
    return found


def line_of(text: str) -> int:
    return next(n for n, line in enumerate(FILE.read_text().splitlines(), 1) if text in line)


def test_the_dag_itself(dag: Dag) -> None:
    assert (dag.dag_id, dag.parsed, dag.line) == (
        "everything",
        Parsed.IMPORTED,
        line_of("with DAG("),
    )
    assert dag.tags == ("acme", "sales")
    assert dag.owners == ("sales-data", "reporting")
    assert dag.owner_links == (("sales-data", "https://chat.acme.example/sales-data"),)
    assert dag.doc_md.startswith("# Everything")
    assert (dag.start_date, dag.catchup, dag.timezone) == ("2025-03-01T00:00:00+00:00", True, "UTC")


def test_an_asset_schedule_is_what_the_dag_consumes(dag: Dag) -> None:
    assert dag.schedule.kind is ScheduleKind.ASSETS
    assert [a.name for a in dag.consumes] == ["orders", "customers"]
    assert [a.name for a in dag.produces] == ["report"]


def test_the_failure_policy_of_the_dag_and_where_a_task_differs(dag: Dag) -> None:
    policy = dag.failure
    assert (policy.retries, policy.retry_delay, policy.run_timeout) == (2, 300.0, 7200.0)
    assert policy.email == ("data@acme.example",)
    notifier = Callback(
        "failure", "acme_platform.notifiers.chat.TeamChatNotifier", "#sales-data", True
    )
    assert notifier in policy.callbacks
    assert Callback("failure", "everything.page_the_on_call") in policy.callbacks
    report = dag.task("publish.report")
    assert report is not None and report.failure is not None
    assert (report.failure.retries, report.failure.execution_timeout) == (4, 1800.0)
    assert dag.task("wait_for_upstream").failure is None  # type: ignore[union-attr]


def test_tasks_groups_docs_and_lines(dag: Dag) -> None:
    assert [g.group_id for g in dag.groups if g.group_id] == ["publish"]
    assert dag.groups[-1].tooltip == "Publish the day"
    report = dag.task("publish.report")
    assert report is not None
    assert (report.group, report.doc, report.doc_format) == (
        "publish",
        "Writes **the report**.",
        "markdown",
    )
    assert report.owner == "reporting"
    assert report.line == line_of("report = BashOperator(")
    summarise = dag.task("summarise")
    assert summarise is not None
    assert (summarise.operator, summarise.style.value) == ("airflow.sdk.task", "taskflow")
    assert summarise.doc == "Counts what was archived."
    assert summarise.function_line == line_of("def summarise()")


def test_mapped_tasks_and_their_operators_default_connection(dag: Dag) -> None:
    archive = dag.task("archive")
    assert archive is not None and archive.mapped
    assert archive.connections == (
        ConnectionUse("acme_object_store_default", "object_store_conn_id", default=True),
    )


def test_dags_a_task_triggers_or_waits_for(dag: Dag) -> None:
    assert dag.task("trigger_reporting").triggers_dag == "sales_order_reporting"  # type: ignore[union-attr]
    assert dag.task("wait_for_upstream").waits_for_dag == "daily_entity_archive"  # type: ignore[union-attr]


def test_every_edge_as_airflow_has_it(dag: Dag) -> None:
    edges = {(e.upstream, e.downstream) for e in dag.dependencies}
    assert edges == {
        ("wait_for_upstream", "publish.report"),
        ("publish.report", "archive"),
        ("archive", "summarise"),
        ("summarise", "trigger_reporting"),
    }
