"""DAG pages, the DAG index and the Assets page, rendered from model objects: what each
section says, what it links, and that every page is reST that parses cleanly."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import pytest
from docutils.parsers.rst import directives

from sphinxext_etl.model import Catalog, Component, Connection, Kind, Parameter
from sphinxext_etl.model.dags import (
    Asset,
    AssetCondition,
    Callback,
    ConnectionUse,
    Dag,
    DagScan,
    Dependency,
    FailurePolicy,
    Parsed,
    Schedule,
    ScheduleKind,
    Task,
    TaskGroup,
)
from sphinxext_etl.render import dag_graphs, jinja
from sphinxext_etl.render.dag_platform import Platform
from sphinxext_etl.render.dag_words import (
    asset_label,
    connection_role,
    doc_block,
    duration_words,
    failure_fields,
    hook_of,
    hooks_by_parameter,
    retry_words,
    system_uses,
    systems_sentence,
    task_failure_words,
)
from sphinxext_etl.render.dags import dag_docnames, dag_pages, sections, task_order

from .test_snapshots_are_rest import problems, stand_in, stand_ins

ORDERS = Asset("s3://lake/orders", name="orders")
CUSTOMERS = Asset("s3://lake/customers", name="customers")
REPORT = Asset("s3://lake/report")


def hook(path: str, attribute: str, conn_type: str, name: str) -> Component:
    return Component(path, Kind.HOOK, "acme", connection=Connection(conn_type, name, attribute))


POSTGRES = hook("pg.PostgresHook", "postgres_conn_id", "postgres", "Postgres")
SQLITE = hook("lite.SqliteHook", "sqlite_conn_id", "sqlite", "SQLite")
METRICS = hook("acme.MetricsHook", "metrics_conn_id", "acme_metrics", "ACME Metrics")
STORE = hook("acme.ObjectStoreHook", "object_store_conn_id", "acme_store", "ACME Object Store")
TRANSFER = Component(
    "acme.SqliteToPostgresOperator",
    Kind.TRANSFER,
    "acme",
    summary="Copy rows from SQLite into PostgreSQL.",
    uses_hooks=(SQLITE.path, POSTGRES.path),
    source_system="SQLite",
    target_system="PostgreSQL",
)
METRICS_OPERATOR = Component(
    "acme.CollectMetricsOperator",
    Kind.OPERATOR,
    "acme",
    summary="Collect metrics.",
    parameters=(Parameter("conn_id"), Parameter("metrics_conn_id")),
    uses_hooks=(METRICS.path,),
)
ARCHIVE = Component(
    "acme.ArchiveOperator", Kind.OPERATOR, "acme", summary="Archive.", uses_hooks=(STORE.path,)
)
NOTIFIER = Component("acme.TeamChatNotifier", Kind.NOTIFIER, "acme")
CATALOG = Catalog(
    components=(POSTGRES, SQLITE, METRICS, STORE, TRANSFER, METRICS_OPERATOR, ARCHIVE, NOTIFIER)
)
BY_PATH = CATALOG.by_path()
BY_PARAMETER = hooks_by_parameter(BY_PATH)

DAG_FAILURE = FailurePolicy(
    retries=2,
    retry_delay=300,
    execution_timeout=2700,
    run_timeout=10800,
    callbacks=(
        Callback("failure", NOTIFIER.path, "#sales-data", notifier=True),
        Callback("failure", "orders.page_the_on_call"),
    ),
    email=("sales@example.com",),
)

LOADER = Dag(
    "load_orders",
    "/dags/load_orders.py",
    10,
    schedule=Schedule(ScheduleKind.CRON, "@daily", cron="0 0 * * *", timezone="UTC"),
    tags=("sales",),
    owners=("sales-data", "crm"),
    owner_links=(("sales-data", "https://wiki.example.com/sales"),),
    doc_md="# Orders\n\nLoads the **orders**.\n\n<script>x</script>",
    start_date="2025-01-01T00:00:00+00:00",
    catchup=False,
    timezone="UTC",
    failure=DAG_FAILURE,
    parsed=Parsed.IMPORTED,
    groups=(
        TaskGroup("extract", tooltip="Read the shop's API"),
        TaskGroup("extract.inner", parent="extract"),
    ),
    tasks=(
        Task("start", "airflow.sdk.EmptyOperator", 20),
        Task(
            "extract.copy_orders",
            TRANSFER.path,
            21,
            group="extract",
            connections=(
                ConnectionUse("staging", "sqlite_conn_id"),
                ConnectionUse("warehouse", "postgres_conn_id"),
            ),
            doc="Copies the day's orders.",
            doc_format="markdown",
        ),
        Task(
            "extract.inner.archive",
            ARCHIVE.path,
            22,
            group="extract.inner",
            connections=(ConnectionUse("acme_store_default", "object_store_conn_id", True),),
            mapped=True,
            failure=FailurePolicy(retries=5, retry_delay=60, callbacks=DAG_FAILURE.callbacks),
        ),
        Task(
            "report_metrics",
            METRICS_OPERATOR.path,
            23,
            connections=(
                ConnectionUse("warehouse", "conn_id"),
                ConnectionUse("metrics_default", "metrics_conn_id", True),
            ),
            outlets=(ORDERS, CUSTOMERS),
            triggers_dag="build_report",
            owner="crm",
        ),
    ),
    dependencies=(
        Dependency("start", "extract.copy_orders", 30),
        Dependency("start", "extract.inner.archive", 30),
        Dependency("extract.copy_orders", "report_metrics", 31),
        Dependency("extract.inner.archive", "report_metrics", 31),
    ),
)
REPORTER = Dag(
    "build_report",
    "/dags/build_report.py",
    5,
    schedule=Schedule(
        ScheduleKind.ASSETS,
        "orders & customers",
        assets=AssetCondition(
            "all", parts=(AssetCondition("asset", ORDERS), AssetCondition("asset", CUSTOMERS))
        ),
    ),
    owners=("analytics",),
    tasks=(
        Task("wait_for_loader", "airflow.sdk.ExternalTaskSensor", 8, waits_for_dag="load_orders"),
        Task(
            "publish", "airflow.sdk.BashOperator", 9, outlets=(REPORT,), doc="{}", doc_format="json"
        ),
    ),
    dependencies=(Dependency("wait_for_loader", "publish", 10),),
)
SCAN = DagScan(dags=(LOADER, REPORTER))
LINKS = {c.path: f"acme/{c.name}" for c in CATALOG}


def render(links: dict[str, str] | None = LINKS) -> dict[str, str]:
    return dag_pages(jinja.environment(()), SCAN, CATALOG, links, "/")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render()


# --- Words -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(300, "5 minutes"), (5400, "1 hour 30 minutes"), (86400, "1 day"), (90061, "1 day 1 hour")],
)
def test_durations_in_words_keep_the_two_largest_units(seconds: float, words: str) -> None:
    assert duration_words(seconds) == words


def test_retries_in_words() -> None:
    assert retry_words(FailurePolicy(retries=2, retry_delay=300)) == "2 retries, 5 minutes apart"
    assert retry_words(FailurePolicy(retries=1)) == "1 retry"
    assert retry_words(FailurePolicy(retries=0)) == "No retries"
    assert retry_words(FailurePolicy()) == ""
    backoff = FailurePolicy(retries=3, retry_delay=60, retry_exponential_backoff=True)
    assert retry_words(backoff) == "3 retries, 1 minute apart, each wait longer than the last"


def test_failure_fields_link_only_notifiers_the_catalog_has() -> None:
    fields = dict(failure_fields(DAG_FAILURE, BY_PATH))
    assert fields["Retries"] == "2 retries, 5 minutes apart"
    assert fields["Task timeout"] == "45 minutes per try"
    assert fields["Run timeout"] == "3 hours"
    assert fields["On failure"] == (
        ":etl-class:`~acme.TeamChatNotifier` to ``#sales-data``; ``orders.page_the_on_call``"
    )
    assert fields["E-mail"] == "`sales@example.com <mailto:sales@example.com>`__"


def test_a_tasks_failure_policy_says_only_how_it_differs() -> None:
    own = FailurePolicy(retries=5, retry_delay=60, callbacks=DAG_FAILURE.callbacks)
    words = task_failure_words(own, DAG_FAILURE, BY_PATH)
    assert words == (
        "Unlike the DAG's defaults: 5 retries, 1 minute apart; no time limit; no e-mail."
    )
    assert task_failure_words(None, DAG_FAILURE, BY_PATH) == ""


# --- Systems -------------------------------------------------------------------------------------


def test_a_connection_means_the_hook_its_parameter_names() -> None:
    assert (
        hook_of(ConnectionUse("w", "postgres_conn_id"), TRANSFER, BY_PATH, BY_PARAMETER) is POSTGRES
    )
    assert (
        hook_of(ConnectionUse("s", "object_store_conn_id"), ARCHIVE, BY_PATH, BY_PARAMETER) is STORE
    )


def test_the_only_hook_is_meant_unless_another_parameter_names_it() -> None:
    assert hook_of(ConnectionUse("s", "conn_id"), ARCHIVE, BY_PATH, BY_PARAMETER) is STORE
    # metrics_conn_id is the metrics hook's parameter: conn_id is some other connection.
    assert hook_of(ConnectionUse("w", "conn_id"), METRICS_OPERATOR, BY_PATH, BY_PARAMETER) is None
    assert hook_of(ConnectionUse("w", "conn_id"), None, BY_PATH, BY_PARAMETER) is None


def test_a_hook_the_operator_does_not_name_is_found_by_its_unique_parameter() -> None:
    caller = Component("acme.CallOperator", Kind.OPERATOR, "acme")
    assert hook_of(ConnectionUse("lake", "postgres_conn_id"), caller, BY_PATH, BY_PARAMETER) is (
        POSTGRES
    )
    assert hook_of(ConnectionUse("lake", "conn_id"), caller, BY_PATH, BY_PARAMETER) is None


@pytest.mark.parametrize(
    ("parameter", "role"),
    [
        ("sqlite_conn_id", "read"),
        ("postgres_conn_id", "write"),
        ("source_conn_id", "read"),
        ("destination_conn_id", "write"),
        ("aws_conn_id", ""),
    ],
)
def test_which_way_a_transfers_connection_moves_data(parameter: str, role: str) -> None:
    assert connection_role(ConnectionUse("c", parameter), TRANSFER) == role


def test_the_systems_sentence_says_reads_and_writes_where_known() -> None:
    task = LOADER.tasks[1]
    uses = system_uses(task, TRANSFER, BY_PATH, BY_PARAMETER)
    assert systems_sentence(uses) == (
        "Reads from ``staging`` (:etl-class:`SQLite <lite.SqliteHook>`); "
        "writes to ``warehouse`` (:etl-class:`Postgres <pg.PostgresHook>`)"
    )
    detailed = systems_sentence(uses, detailed=True)
    assert "``warehouse`` (:etl-class:`PostgresHook <pg.PostgresHook>`, type ``postgres``)" in (
        detailed
    )


def test_the_systems_sentence_lists_systems_where_no_direction_is_known() -> None:
    uses = system_uses(LOADER.tasks[3], METRICS_OPERATOR, BY_PATH, BY_PARAMETER)
    assert systems_sentence(uses) == (
        "Systems: ``warehouse`` · ``metrics_default`` "
        "(:etl-class:`ACME Metrics <acme.MetricsHook>`)"
    )
    assert systems_sentence([]) == ""


# --- Docs ----------------------------------------------------------------------------------------


def test_markdown_docs_go_to_the_markdown_directive_indented() -> None:
    assert doc_block("# A\n\n  * b", "markdown", heading_level=2) == (
        ".. etl-markdown::\n   :heading-level: 2\n\n   # A\n\n     * b"
    )


def test_rest_docs_stay_rest_and_json_and_yaml_are_code() -> None:
    assert doc_block("See ``x``.", "rst") == "See ``x``."
    assert doc_block('{"a": 1}', "json") == '.. code-block:: json\n\n   {"a": 1}'
    assert doc_block("{not json", "json") == ".. code-block:: text\n\n   {not json"
    assert doc_block("a: 1", "yaml") == ".. code-block:: yaml\n\n   a: 1"


def test_text_docs_are_escaped_paragraphs() -> None:
    assert doc_block("*not* bold\n\n- not a list", "text") == "\\*not\\* bold\n\n\\- not a list"
    assert doc_block("  \n", "markdown") == ""


# --- Steps ---------------------------------------------------------------------------------------


def test_task_order_keeps_a_groups_steps_together() -> None:
    dag = Dag(
        "d",
        "f.py",
        1,
        tasks=(
            Task("a", "op", 1),
            Task("g.x", "op", 2, group="g"),
            Task("b", "op", 3),
            Task("g.y", "op", 4, group="g"),
        ),
    )
    assert [t.task_id for t in task_order(dag)] == ["a", "g.x", "g.y", "b"]
    chained = Dag(
        "d",
        "f.py",
        1,
        tasks=dag.tasks,
        dependencies=(Dependency("g.y", "a", 1), Dependency("a", "g.x", 1)),
    )
    assert [t.task_id for t in task_order(chained)] == ["b", "g.y", "a", "g.x"]


def test_steps_come_in_sections_by_task_group() -> None:
    platform = Platform.of(SCAN.dags, dag_docnames(SCAN), CATALOG, linked=True)
    found = sections(LOADER, platform)
    assert [(s.group, [step.task_id for step in s.steps]) for s in found] == [
        ("", ["start"]),
        ("extract", ["extract.copy_orders"]),
        ("extract.inner", ["extract.inner.archive"]),
        ("", ["report_metrics"]),
    ]
    assert found[1].tooltip == "Read the shop's API"
    assert found[2].title == "extract / inner"


def test_a_steps_text_holds_its_doc_and_its_facts(pages: dict[str, str]) -> None:
    page = pages["dags/load_orders.rst"]
    assert (
        ".. etl-markdown::\n          :heading-level: 4\n\n          Copies the day's orders."
        in (page)
    )
    assert ":etl-badge:`mapped <mapped>`" in page
    assert "Mapped: one task instance per input" in page
    assert "Unlike the DAG's defaults: 5 retries, 1 minute apart" in page
    assert "Triggers :doc:`build_report <build_report>`." in page
    assert "Owner: crm." in page
    # A step after two others says so; one after the step before it says nothing.
    assert "After ``extract.copy_orders`` and ``extract.inner.archive``." in page
    assert "After ``start``" not in page.split(":etl-id:`extract.inner.archive`")[0]


# --- Pages ---------------------------------------------------------------------------------------


def test_pages_are_generated_for_each_dag_the_index_and_assets(pages: dict[str, str]) -> None:
    assert sorted(pages) == [
        "dags/assets.rst",
        "dags/build_report.rst",
        "dags/index.rst",
        "dags/load_orders.rst",
    ]


def test_when_it_runs_says_the_schedule_in_words_beside_its_expression(
    pages: dict[str, str],
) -> None:
    page = pages["dags/load_orders.rst"]
    assert ":Schedule: Every day at 00:00 (UTC) — ``@daily (0 0 * * *)``" in page
    assert ":Start date: 2025-01-01" in page
    assert ":Catchup: No: only the latest interval runs" in page
    assert ":Timezone: UTC" in page


def test_an_asset_schedule_links_each_asset_to_its_entry(pages: dict[str, str]) -> None:
    page = pages["dags/build_report.rst"]
    orders, customers = (f":ref:`{a.name} <{asset_label(a)}>`" for a in (ORDERS, CUSTOMERS))
    assert f":Schedule: When {orders} and {customers} are both updated" in page
    assert f":Consumes: When {orders} and {customers}" in page
    assert ":Fed by: :doc:`load_orders <load_orders>`" in page
    assert ":Waits for: :doc:`load_orders <load_orders>`" in page
    assert ":Triggered by: :doc:`load_orders <load_orders>`" in page


def test_every_asset_a_page_links_has_its_label_on_the_assets_page(
    pages: dict[str, str],
) -> None:
    linked = {
        label for text in pages.values() for label in re.findall(r"<(etl-asset-[^>]+)>`", text)
    }
    labels = set(re.findall(r"^\.\. _(etl-asset-[^:]+):$", pages["dags/assets.rst"], re.M))
    assert linked == labels and len(labels) == 3


def test_asset_labels_are_stable_and_tell_alike_keys_apart() -> None:
    alike = [Asset("s3://a/b"), Asset("s3://a-b"), Asset("", name="s3 a b", kind="alias")]
    labels = [asset_label(a) for a in alike]
    assert len(set(labels)) == 3
    assert labels[0] == asset_label(Asset("s3://a/b", name="other name"))
    assert all(re.fullmatch(r"etl-asset-[a-z0-9-]+", label) for label in labels)


def test_the_assets_page_lists_producers_and_consumers(pages: dict[str, str]) -> None:
    page = pages["dags/assets.rst"]
    entry = page.split(".. rubric:: orders")[1].split(".. _")[0]
    assert ":URI: ``s3://lake/orders``" in entry
    assert ":Produced by: :doc:`load_orders <load_orders>`" in entry
    assert ":Consumed by: :doc:`build_report <build_report>`" in entry


def test_the_data_flow_graph_links_dags_by_assets_triggers_and_waits(
    pages: dict[str, str],
) -> None:
    page = pages["dags/assets.rst"]
    assert '"dag:load_orders" [label="load_orders", URL="load_orders.html"' in page
    assert '"dag:load_orders" -> "dag:build_report" [label="customers\\norders"];' in page
    assert '"dag:load_orders" -> "dag:build_report" [label="triggers", style=dashed' in page
    assert '"dag:build_report" -> "dag:load_orders" [label="waits for", style=dotted' in page
    # An asset no DAG here consumes is a node of its own.
    assert '"asset:s3://lake/report" [label="s3://lake/report", URL="assets.html#etl-asset-' in page


def test_systems_and_failure_are_summed_up_for_the_dag(pages: dict[str, str]) -> None:
    page = pages["dags/load_orders.rst"]
    assert "Reads from ``staging`` (:etl-class:`SQLite <lite.SqliteHook>`); writes to" in page
    assert "also uses ``acme_store_default`` (:etl-class:`ACME Object Store" in page
    assert ":Retries: 2 retries, 5 minutes apart" in page
    assert ":Owners: `sales-data <https://wiki.example.com/sales>`__, crm" in page


def test_the_dag_graph_clusters_groups_and_links_operators(pages: dict[str, str]) -> None:
    page = pages["dags/load_orders.rst"]
    assert 'subgraph "cluster_extract" {' in page
    assert 'subgraph "cluster_extract.inner" {' in page
    assert (
        '"extract.copy_orders" [label="copy_orders", URL="../acme/SqliteToPostgresOperator.html"'
        in page
    )
    assert 'label="archive\\n(mapped)"' in page
    assert 'target="_top"' in page


def test_graphs_link_nothing_where_links_are_not_given() -> None:
    page = render(links={})["dags/load_orders.rst"]
    assert ".. graphviz::" in page and "URL=" not in page


def test_without_graphviz_dependencies_and_flows_are_text() -> None:
    rendered = render(links=None)
    assert ".. graphviz::" not in "".join(rendered.values())
    assert "* ``start`` → ``extract.copy_orders``" in rendered["dags/load_orders.rst"]
    assert "* load\\_orders feeds build\\_report (customers, orders)" in rendered["dags/assets.rst"]


def test_the_index_is_a_dag_catalog_above_every_dag_page(pages: dict[str, str]) -> None:
    """The rows are the ``dag-catalog`` directive's (see ``tests/test_dag_catalog.py``)."""
    index = pages["dags/index.rst"]
    assert "\n.. dag-catalog::\n" in index
    assert "   build_report\n   load_orders\n   assets" in index


def test_a_dag_without_doc_or_data_says_so() -> None:
    bare = DagScan(dags=(Dag("bare", "/dags/bare.py", 1, tasks=(Task("t", "x.Op", 2),)),))
    page = dag_pages(jinja.environment(()), bare, CATALOG, None, "/")["dags/bare.rst"]
    assert "This DAG has no* ``doc_md``" in page
    assert "It declares no asset it consumes or produces" in page
    assert ":Schedule: Only when triggered" in page
    assert "(read from the source, not imported)" in page


def test_every_page_parses_cleanly(pages: dict[str, str]) -> None:
    with stand_ins():
        directives.register_directive("etl-markdown", stand_in(nested=False))
        for name, text in pages.items():
            assert problems(text) == [], name


def test_graph_ids_are_unique_per_page() -> None:
    assert dag_graphs.graph_id("dags/a.b-c") == "etl_dags_a_b_c"


def test_hooks_of_one_connection_type_mean_one_system() -> None:
    http = hook("h.HttpHook", "http_conn_id", "http", "HTTP")
    http_async = hook("h.HttpAsyncHook", "http_conn_id", "http", "HTTP")
    other = hook("o.OtherHttpHook", "http_conn_id", "other", "Other")
    caller = Component("h.HttpOperator", Kind.OPERATOR, "h")
    use = ConnectionUse("shop_api", "http_conn_id")
    both = {h.path: h for h in (http, http_async)}
    assert hook_of(use, caller, both, hooks_by_parameter(both)) is http
    mixed = {**both, other.path: other}
    assert hook_of(use, caller, mixed, hooks_by_parameter(mixed)) is None


def chain(names: list[str]) -> str:
    nodes = [dag_graphs.Node(name, name) for name in names]
    edges = list(itertools.pairwise(names))
    return dag_graphs.flow_dot(
        nodes, [dag_graphs.Flow(a, b, "", "asset", "") for a, b in edges]
    ).splitlines()[1]


def test_a_graph_runs_the_way_that_keeps_it_narrow() -> None:
    """A chain of long names reads top to bottom; short names side by side left to right."""
    assert chain([f"a_long_task_name_number_{n}" for n in range(5)]) == "   rankdir=TB;"
    assert chain(["a", "b", "c"]) == "   rankdir=LR;"


def test_catchup_is_said_only_of_a_schedule_in_time() -> None:
    reporter = replace(REPORTER, catchup=False)
    loader = replace(LOADER, catchup=True)
    rendered = dag_pages(
        jinja.environment(()), DagScan(dags=(reporter, loader)), CATALOG, None, "/"
    )
    assert ":Catchup:" not in rendered["dags/build_report.rst"]
    assert ":Catchup: Yes: a missed interval" in rendered["dags/load_orders.rst"]


def test_a_platform_with_too_many_dags_for_the_navigation_keeps_their_pages_out_of_it() -> None:
    """Navigation is rendered on every HTML page: past the limit, the index's table links the
    DAG pages and no toctree lists them."""
    rendered = dag_pages(jinja.environment(()), SCAN, CATALOG, {}, "/", in_navigation=False)
    assert rendered["dags/load_orders.rst"].startswith(":orphan:\n")
    assert "   load_orders\n" not in rendered["dags/index.rst"]
    assert "   assets" in rendered["dags/index.rst"]
    listed = dag_pages(jinja.environment(()), SCAN, CATALOG, {}, "/")
    assert not listed["dags/load_orders.rst"].startswith(":orphan:")
