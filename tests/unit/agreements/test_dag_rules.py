"""DAG rules: the registry's second kind, the scope's ``dags``, and the shipped DAG rules, run on
small DAG files written to a temporary folder and scanned as a build scans them."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from sphinxext_etl.agreements import load_shipped_rules
from sphinxext_etl.agreements.registry import (
    DB_API_HOOK,
    RULES,
    DagContext,
    Rule,
    Target,
    Violation,
    dag_rule,
)
from sphinxext_etl.agreements.scope import Scope
from sphinxext_etl.collect.dags import scan
from sphinxext_etl.model import Catalog, Component, Deprecation, Kind, Parameter, Provider
from sphinxext_etl.model.dags import Dag, DagScan

# As a build registers them (``sphinxext_etl.agreements.setup``).
load_shipped_rules()

POSTGRES_HOOK = "airflow.providers.postgres.hooks.postgres.PostgresHook"
METRICS_HOOK = "acme.hooks.metrics.MetricsHook"
STORE_HOOK = "acme.hooks.store.StoreHook"
LEGACY = "acme.operators.legacy.LegacyExportOperator"
ACME = Provider(name="acme", in_house=True, package="acme")


def in_house(path: str, kind: Kind = Kind.OPERATOR, **facts: object) -> Component:
    return Component(path, kind, "acme", in_house=True, **facts)  # type: ignore[arg-type]


CATALOG = Catalog(
    providers=(ACME,),
    components=(
        Component(POSTGRES_HOOK, Kind.HOOK, "postgres", bases=(DB_API_HOOK,)),
        in_house(METRICS_HOOK, Kind.HOOK),
        in_house(STORE_HOOK, Kind.HOOK),
        in_house(
            "acme.operators.metrics.CollectMetricsOperator",
            uses_hooks=(METRICS_HOOK, DB_API_HOOK),
            parameters=(Parameter("sql"), Parameter("conn_id")),
        ),
        in_house(
            "acme.transfers.copy.SqliteToPostgresOperator",
            Kind.TRANSFER,
            uses_hooks=(POSTGRES_HOOK,),
        ),
        in_house("acme.operators.archive.ArchiveOperator", uses_hooks=(STORE_HOOK,)),
        in_house(
            LEGACY,
            uses_hooks=(STORE_HOOK, "acme.hooks.slack.SlackHook"),
            deprecation=Deprecation("Use ArchiveOperator instead."),
            parameters=(
                Parameter("domain"),
                Parameter("overwrite", deprecation=Deprecation("It always overwrites.")),
            ),
        ),
    ),
)

HEADER = """\
from airflow.providers.postgres.hooks.postgres import PostgresHook
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, BaseHook, task

from acme.hooks.metrics import MetricsHook
"""


def scanned(tmp_path: Path, body: str, *, header: str = HEADER) -> DagScan:
    path = tmp_path / "one_dag.py"
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    return scan([path], [c.path for c in CATALOG])


def run(rule: str, tmp_path: Path, body: str, catalog: Catalog = CATALOG) -> list[Violation]:
    """The violations of ``rule`` on the one DAG ``body`` defines (after :data:`HEADER`)."""
    dag = scanned(tmp_path, body).dags[0]
    return RULES[rule](dag, DagContext.read(catalog, dag.file))


def found(violations: list[Violation]) -> list[tuple[int, str]]:
    return [(v.line, v.message) for v in violations]


# --- the registry -----------------------------------------------------------------------------


def test_shipped_dag_rules_are_registered_as_dag_rules() -> None:
    shipped = {"dag-has-doc", "dag-uses-platform-operators", "no-deprecated-in-dags"}
    assert {name for name, r in RULES.items() if r.target is Target.DAGS} >= shipped
    assert all(RULES[name].description for name in shipped)
    assert RULES["docstring-required"].target is Target.COMPONENTS


def test_dag_rule_shares_the_registry_with_component_rules() -> None:
    """``dag_rule`` registers under the same names as ``rule``, marked as a DAG rule."""

    def owned(dag: Dag, context: DagContext) -> Iterator[str | Violation]:
        yield f"{dag.dag_id} has no owner"
        yield Violation("placed", 4)

    try:
        assert dag_rule("unit-test-dag-rule", "Owned.")(owned) is owned
        assert RULES["unit-test-dag-rule"] == Rule(
            "unit-test-dag-rule", "Owned.", owned, Target.DAGS
        )
        dag = Dag("d", "d.py", 3)
        context = DagContext(Catalog(), "d.py")
        assert RULES["unit-test-dag-rule"](dag, context) == [
            Violation("d has no owner"),
            Violation("placed", 4),
        ]
    finally:
        RULES.pop("unit-test-dag-rule", None)


def test_dag_rule_names_are_lower_case_words() -> None:
    with pytest.raises(ValueError, match="must be lower-case words"):
        dag_rule("NoDoc", "x")


# --- scope ------------------------------------------------------------------------------------

DAGS = DagScan(
    (
        Dag("sales_daily", "a.py", 1, tags=("sales",)),
        Dag("crm_export", "b.py", 1, tags=("crm", "legacy")),
    )
)


@pytest.mark.parametrize(
    ("patterns", "selected"),
    [
        ((), []),  # an empty scope: in-house components only
        (("operators",), []),
        (("dags",), ["sales_daily", "crm_export"]),
        (("DAG",), ["sales_daily", "crm_export"]),
        (("dags", "sales_*"), ["sales_daily"]),  # a dag_id glob
        (("dags", "legacy"), ["crm_export"]),  # a tag
        (("dags", "operators", "acme"), ["sales_daily", "crm_export"]),  # kinds, owners: not DAGs'
    ],
)
def test_dags_in_scope(patterns: tuple[str, ...], selected: list[str]) -> None:
    assert [d.dag_id for d in Scope(patterns).select_dags(DAGS, CATALOG)] == selected


def test_a_scope_of_dags_alone_covers_no_component() -> None:
    scope = Scope(("dags",))
    assert scope.select(CATALOG) == []
    assert scope.covers(Target.DAGS, CATALOG)
    assert not scope.covers(Target.COMPONENTS, CATALOG)


def test_dags_with_a_kind_or_owner_also_covers_components() -> None:
    assert [c.name for c in Scope(("dags", "transfers")).select(CATALOG)] == [
        "SqliteToPostgresOperator"
    ]
    assert Scope(("dags", "acme")).covers(Target.COMPONENTS, CATALOG)
    assert not Scope(("operators",)).covers(Target.DAGS, CATALOG)


def test_no_scan_means_no_dags() -> None:
    assert Scope(("dags",)).select_dags(None, CATALOG) == []


# --- dag-has-doc ------------------------------------------------------------------------------


def test_a_dag_without_doc_md_breaks_dag_has_doc_at_its_line(tmp_path: Path) -> None:
    body = """
        with DAG("quiet", description="A description is a summary, not a document."):
            pass
    """
    assert found(run("dag-has-doc", tmp_path, body)) == [
        (
            0,
            "DAG quiet has no doc_md: say what it does for the business (doc_md=__doc__ under "
            "a module docstring, or the @dag function's docstring)",
        )
    ]


@pytest.mark.parametrize(
    "body",
    [
        'with DAG("told", doc_md="Loads the day\'s customers."):\n    pass\n',
        '@dag\ndef told():\n    """Loads the day\'s customers."""\n\ntold()\n',
        # Not a literal: the DAG has a doc_md, which the scan reports it cannot read.
        'with DAG("told", doc_md=Path("told.md").read_text()):\n    pass\n',
    ],
)
def test_a_dag_with_doc_md_keeps_dag_has_doc(tmp_path: Path, body: str) -> None:
    header = "from pathlib import Path\n\nfrom airflow.sdk import DAG, dag\n"
    dag = scanned(tmp_path, body, header=header).dags[0]
    assert RULES["dag-has-doc"](dag, DagContext.read(CATALOG, dag.file)) == []


@pytest.mark.parametrize("doc_md", ['""', "__doc__"])
def test_an_empty_doc_md_breaks_dag_has_doc(tmp_path: Path, doc_md: str) -> None:
    """``doc_md=""``, and ``__doc__`` in a file without a module docstring."""
    body = f'with DAG("empty", doc_md={doc_md}):\n    pass\n'
    assert len(run("dag-has-doc", tmp_path, body)) == 1


# --- no-deprecated-in-dags --------------------------------------------------------------------


def test_deprecated_components_and_parameters_break_no_deprecated_in_dags(tmp_path: Path) -> None:
    body = """
        from acme.operators.legacy import LegacyExportOperator
        from acme.operators.archive import ArchiveOperator

        with DAG("old"):
            LegacyExportOperator(task_id="export", domain="crm", overwrite=False)
            ArchiveOperator(task_id="archive")
    """
    assert found(run("no-deprecated-in-dags", tmp_path, body)) == [
        (11, f"task 'export' uses the deprecated {LEGACY} (Use ArchiveOperator instead.)"),
        (
            11,
            "task 'export' passes the deprecated parameter 'overwrite' of LegacyExportOperator "
            "(It always overwrites.)",
        ),
    ]


# --- dag-uses-platform-operators --------------------------------------------------------------


def test_a_task_that_opens_hooks_and_runs_sql_breaks_the_rule_at_each_line(
    tmp_path: Path,
) -> None:
    """Lines 10-12 of the file: a hook the catalog holds (its DbApiHook base brings the
    operator on DbApiHook), SQL through it, and an in-house hook."""
    body = """
        with DAG("inline"):
            @task
            def count() -> int:
                hook = PostgresHook(postgres_conn_id="warehouse")
                rows = hook.get_records("SELECT count(*) FROM customers")
                MetricsHook().emit("customers", rows[0][0])
                return rows[0][0]

            count()
    """
    assert found(run("dag-uses-platform-operators", tmp_path, body)) == [
        (
            10,
            "task 'count' opens a connection with PostgresHook in inline code; platform "
            "operators that use it: CollectMetricsOperator, SqliteToPostgresOperator",
        ),
        (
            11,
            "task 'count' runs SQL with hook.get_records() in inline code; platform operators "
            "that run SQL: CollectMetricsOperator, SqliteToPostgresOperator",
        ),
        (
            12,
            "task 'count' opens a connection with MetricsHook in inline code; platform "
            "operators that use it: CollectMetricsOperator",
        ),
    ]


def test_a_python_callable_that_opens_a_connection_breaks_the_rule(tmp_path: Path) -> None:
    """``BaseHook.get_connection`` names no hook: every platform operator that opens a
    connection is an alternative (the deprecated one is not)."""
    body = """
        def export():
            connection = BaseHook.get_connection("crm")
            return connection.host

        with DAG("callable"):
            PythonOperator(task_id="export", python_callable=export)
    """
    assert found(run("dag-uses-platform-operators", tmp_path, body)) == [
        (
            8,
            "task 'export' opens a connection with BaseHook.get_connection() in inline code; "
            "platform operators that open connections: ArchiveOperator, "
            "CollectMetricsOperator, SqliteToPostgresOperator",
        )
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "cursor.execute(query)",  # a cursor, bound by ``with ... as``
        "connection.run(sql=query)",  # ``sql=``
        'connection.run(f"DELETE FROM {table}")',  # an f-string starting like SQL
        'connection.run("cleanup.sql")',  # a .sql file
    ],
)
def test_sql_through_a_connection_is_reported(tmp_path: Path, statement: str) -> None:
    body = f"""
        @task
        def clean(connection, table, query):
            with closing(connection.cursor()) as cursor:
                {statement}

        with DAG("sql"):
            clean()
    """
    violations = run("dag-uses-platform-operators", tmp_path, body)
    assert [v.line for v in violations] == [10]
    assert "runs SQL with" in violations[0].message


def test_a_hook_the_catalog_lacks_is_matched_by_class_name(tmp_path: Path) -> None:
    """Without the postgres provider in the catalog, the transfer that uses a PostgresHook
    is still an alternative; the operator on DbApiHook is not known to be one."""
    catalog = Catalog(CATALOG.providers, CATALOG.components[1:])
    body = """
        @task
        def load():
            PostgresHook().insert_rows("customers", [])

        with DAG("unknown_hook"):
            load()
    """
    assert [v.message for v in run("dag-uses-platform-operators", tmp_path, body, catalog)] == [
        "task 'load' opens a connection with PostgresHook in inline code; platform operators "
        "that use it: SqliteToPostgresOperator"
    ]


@pytest.mark.parametrize(
    "code",
    [
        "return [row for row in rows if row['shipped']]",  # plain Python
        'SlackHook().send("done")',  # only the deprecated operator uses SlackHook
        'HttpHook(method="GET").run("/customers")',  # no platform operator, no SQL
    ],
)
def test_inline_code_the_platform_does_not_cover_keeps_the_rule(tmp_path: Path, code: str) -> None:
    body = f"""
        @task
        def step(rows):
            {code}

        with DAG("fine"):
            step([])
    """
    assert run("dag-uses-platform-operators", tmp_path, body) == []


def test_platform_operators_in_a_dag_keep_the_rule(tmp_path: Path) -> None:
    """The rule reads only the functions tasks run, not the operators' own arguments."""
    body = """
        from acme.operators.metrics import CollectMetricsOperator

        with DAG("conforming"):
            CollectMetricsOperator(task_id="metrics", sql="SELECT 1", conn_id="warehouse")
    """
    assert run("dag-uses-platform-operators", tmp_path, body) == []


def test_without_sql_operators_sql_is_not_reported(tmp_path: Path) -> None:
    catalog = Catalog(CATALOG.providers, (in_house("acme.operators.archive.ArchiveOperator"),))
    body = """
        @task
        def count(cursor):
            cursor.execute("SELECT 1")

        with DAG("no_sql_operators"):
            count()
    """
    assert run("dag-uses-platform-operators", tmp_path, body, catalog) == []


def test_a_context_without_source_reads_no_function(tmp_path: Path) -> None:
    context = DagContext.read(CATALOG, str(tmp_path / "gone.py"))
    assert (context.source, context.tree) == ("", None)
    dag = Dag("gone", str(tmp_path / "gone.py"), 1)
    assert RULES["dag-uses-platform-operators"](dag, context) == []
