"""The static scan of DAG files: DAGs, tasks and dependencies read with ast, never imported."""

from __future__ import annotations

import functools
import shutil
import textwrap
from pathlib import Path

import pytest

from sphinxext_etl.collect.dag_source import catalog_path, index_paths
from sphinxext_etl.collect.dags import scan
from sphinxext_etl.model.dags import (
    Dag,
    DagProblem,
    DagScan,
    Dependency,
    Task,
    TaskStyle,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dags"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "acme_platform" / "dags"

BASH = "airflow.providers.standard.operators.bash.BashOperator"
EMPTY = "airflow.providers.standard.operators.empty.EmptyOperator"
PYTHON = "airflow.providers.standard.operators.python.PythonOperator"
ARCHIVE = "acme_platform.operators.archive.ArchiveIngestedEntitiesOperator"
#: What a catalog would hold: the provider's paths, not the shims DAG files import from.
KNOWN = (
    BASH,
    EMPTY,
    ARCHIVE,
    "x.one.operators.copy.CopyOperator",
    "x.two.operators.copy.CopyOperator",
)


@functools.cache
def fixtures() -> DagScan:
    return scan([FIXTURES], KNOWN)


def dag(dag_id: str) -> Dag:
    found = fixtures().dag(dag_id)
    assert found is not None, dag_id
    return found


def task(found: Dag, task_id: str) -> Task:
    made = found.task(task_id)
    assert made is not None, task_id
    return made


def edges(found: Dag) -> set[tuple[str, str]]:
    return {(d.upstream, d.downstream) for d in found.dependencies}


def problems(name: str, scanned: DagScan | None = None) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in (scanned or fixtures()).problems if p.file.endswith(name)]


def scan_source(tmp_path: Path, source: str, known: tuple[str, ...] = ()) -> DagScan:
    path = tmp_path / "one_dag.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return scan([path], known)


# --- files -----------------------------------------------------------------------------------


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "dags")
    (tmp_path / "dags" / "nested").mkdir()
    shutil.copy(FIXTURES / "reexports.py", tmp_path / "dags" / "nested" / "again.py")
    (tmp_path / "dags" / "notes.txt").write_text("not python", encoding="utf-8")
    files = [file for file, _ in scan([tmp_path]).unresolved]
    names = [Path(f).relative_to(tmp_path / "dags").as_posix() for f in files]
    assert names == [
        "assigned_dag.py",
        "classic_with.py",
        "helpers_and_subclasses.py",
        "nested/again.py",
        "reexports.py",
        "taskflow_dag.py",
        "unresolved.py",
    ]


def test_a_syntax_error_is_one_problem_and_the_other_files_are_still_scanned(
    tmp_path: Path,
) -> None:
    shutil.copy(FIXTURES / "classic_with.py", tmp_path / "a_fine.py")
    (tmp_path / "b_broken.py").write_text("x = 1\nwith DAG('b' as dag:\n    pass\n", "utf-8")
    shutil.copy(FIXTURES / "assigned_dag.py", tmp_path / "c_fine.py")
    scanned = scan([tmp_path])
    assert [d.dag_id for d in scanned.dags] == ["classic_with", "assigned_dag"]
    assert [(Path(p.file).name, p.line) for p in scanned.problems] == [("b_broken.py", 2)]
    assert scanned.problems[0].message.startswith("syntax error")
    assert dict(scanned.unresolved)[(tmp_path / "b_broken.py").as_posix()] == 1


def test_a_file_that_cannot_be_read_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "latin1.py").write_bytes(b"# caf\xe9\n")
    scanned = scan([tmp_path, tmp_path / "missing.py"])
    assert [(Path(p.file).name, p.line) for p in scanned.problems] == [
        ("latin1.py", 0),
        ("missing.py", 0),
    ]


def test_every_file_scanned_is_counted_with_its_unresolved_constructs() -> None:
    counts = {Path(f).name: n for f, n in fixtures().unresolved}
    assert counts == {
        "assigned_dag.py": 0,
        "classic_with.py": 0,
        "helpers_and_subclasses.py": 3,
        "reexports.py": 1,
        "taskflow_dag.py": 0,
        "unresolved.py": 11,
    }
    assert sum(counts.values()) == len(fixtures().problems)


# --- DAGs ------------------------------------------------------------------------------------


def test_a_with_dag_block_gives_its_arguments() -> None:
    found = dag("classic_with")
    assert (found.line, found.schedule.expression, found.tags) == (
        24,
        "@hourly",
        ("acme", "classic"),
    )
    assert found.schedule.cron == "0 * * * *"
    assert found.owner == "platform"  # from default_args, a module constant
    assert found.description == "Every dependency form."
    assert found.file == (FIXTURES / "classic_with.py").as_posix()


def test_doc_md_from_the_module_docstring() -> None:
    assert dag("classic_with").doc_md.startswith("Classic operators in a ``with DAG(...)`` block.")


def test_an_assigned_dag_takes_its_tasks_by_dag_argument_and_doc_md_set_later() -> None:
    found = dag("assigned_dag")
    assert found.schedule.seconds == 6 * 3600  # schedule_interval
    assert found.tags == ("alpha", "zeta")  # a set, sorted
    assert found.owner == "sales-data"  # default_args=dict(owner=...)
    assert found.doc_md == "Assigned **later**."
    assert [t.task_id for t in found.tasks] == ["a", "b", "c", "d", "e", "f", "x", "y"]


def test_a_dag_function_is_named_by_itself_and_documented_by_its_docstring() -> None:
    found = dag("taskflow_etl")
    assert (found.schedule.kind.value, found.owner, found.tags) == (
        "none",
        "analytics",
        ("taskflow",),
    )
    assert found.doc_md == "Extract, transform and load, with data passed between tasks."


def test_a_dag_function_named_by_argument() -> None:
    found = dag("named_by_argument")
    assert (found.schedule.cron, found.doc_md) == ("0 6 * * *", "Given as text.")
    assert fixtures().dag("ignored_name") is None


def test_no_schedule_is_none(tmp_path: Path) -> None:
    scanned = scan_source(tmp_path, 'from airflow.sdk import DAG\nwith DAG("plain"):\n    pass\n')
    assert scanned.dags[0].schedule.kind.value == "none"


def test_a_timetable_is_the_schedule(tmp_path: Path) -> None:
    source = """
        from airflow.sdk import DAG, CronTriggerTimetable
        dag = DAG("timed", timetable=CronTriggerTimetable("0 1 * * *", timezone="UTC"))
    """
    scanned = scan_source(tmp_path, source)
    assert (scanned.dags[0].schedule.cron, scanned.dags[0].schedule.timezone) == (
        "0 1 * * *",
        "UTC",
    )


def test_an_airflow_2_import_inside_try_is_read_after_the_airflow_3_one(tmp_path: Path) -> None:
    source = """
        try:
            from airflow.sdk import DAG
        except ImportError:
            from airflow.models.dag import DAG
        import airflow.providers.standard.operators.bash

        with DAG("compat"):
            airflow.providers.standard.operators.bash.BashOperator(task_id="t", bash_command="")
    """
    scanned = scan_source(tmp_path, source)
    assert [(d.dag_id, d.tasks[0].operator) for d in scanned.dags] == [("compat", BASH)]


# --- tasks -----------------------------------------------------------------------------------


def test_aliased_imports_resolve_to_dotted_paths() -> None:
    operators = {t.task_id: t.operator for t in dag("classic_with").tasks}
    assert operators["start"] == BASH  # ``import ... as Bash``
    assert operators["python"] == PYTHON  # ``import module as py`` then ``py.PythonOperator``
    assert operators["archive"] == ARCHIVE  # ``from package import module``


def test_a_task_records_its_line_style_and_keyword_arguments() -> None:
    start = dag("classic_with").task("start")
    assert start == Task(
        task_id="start",
        operator=BASH,
        line=33,
        style=TaskStyle.OPERATOR,
        arguments=("task_id", "bash_command", "append_env"),
    )


def test_tasks_in_a_task_group_get_its_prefix() -> None:
    ids = [t.task_id for t in dag("classic_with").tasks]
    assert ids[-2:] == ["load.first", "load.second"]


def test_re_exported_paths_map_to_the_catalogs() -> None:
    operators = {t.task_id: t.operator for t in dag("reexports").tasks}
    assert operators["run"] == BASH  # airflow.operators.bash: a shim sharing operators.bash
    assert operators["archive"] == ARCHIVE  # acme_platform.operators: a package re-export


def test_a_tie_between_catalog_paths_is_kept_as_imported_and_reported() -> None:
    assert task(dag("reexports"), "copy").operator == "legacy.operators.copy.CopyOperator"
    assert problems("reexports.py") == [
        (
            15,
            "legacy.operators.copy.CopyOperator could be any of "
            "x.one.operators.copy.CopyOperator, x.two.operators.copy.CopyOperator; "
            "kept as imported",
        )
    ]


def test_without_known_paths_the_imported_path_is_kept() -> None:
    scanned = scan([FIXTURES / "reexports.py"])
    assert [t.operator for t in scanned.dags[0].tasks] == [
        "airflow.operators.bash.BashOperator",
        "acme_platform.operators.ArchiveIngestedEntitiesOperator",
        "legacy.operators.copy.CopyOperator",
    ]
    assert scanned.problems == ()


@pytest.mark.parametrize(
    ("imported", "expected", "tied"),
    [
        (BASH, BASH, ()),
        ("airflow.operators.bash.BashOperator", BASH, ()),
        ("acme_platform.operators.ArchiveIngestedEntitiesOperator", ARCHIVE, ()),
        ("elsewhere.Unknown", "elsewhere.Unknown", ()),
        ("elsewhere.BashOperator", "elsewhere.BashOperator", ()),  # no module segment shared
        (
            "x.CopyOperator",  # under x: both candidates
            "x.CopyOperator",
            ("x.one.operators.copy.CopyOperator", "x.two.operators.copy.CopyOperator"),
        ),
        ("x.one.CopyOperator", "x.one.operators.copy.CopyOperator", ()),
    ],
)
def test_the_catalog_path_rule(imported: str, expected: str, tied: tuple[str, ...]) -> None:
    assert catalog_path(imported, index_paths(KNOWN)) == (expected, tied)


def test_a_class_the_file_defines_is_the_operator_with_its_bases() -> None:
    found = dag("helpers_and_subclasses")
    assert found.task("quiet") == Task(
        "quiet",
        "helpers_and_subclasses.QuietBashOperator",
        48,
        arguments=("task_id", "bash_command"),
        bases=(BASH,),
    )
    assert task(found, "quieter").bases == ("helpers_and_subclasses.QuietBashOperator", BASH)
    # Named unlike an operator, it is one by its base.
    archiver = task(found, "archiver")
    assert (archiver.operator, archiver.bases) == ("helpers_and_subclasses.Archiver", (ARCHIVE,))


def test_a_helper_function_makes_a_task_at_the_call_with_the_id_it_is_passed() -> None:
    tasks = {t.task_id: t for t in dag("helpers_and_subclasses").tasks}
    assert tasks["export_a"] == Task(
        "export_a",
        ARCHIVE,
        51,
        arguments=("task_id", "domain", "entity_type", "entities"),
        note="made by make_export()",
    )
    # A keyword argument, and what the helper's **kwargs passes on.
    assert tasks["export_b"].line == 52
    assert tasks["export_b"].arguments[-1] == "overwrite"
    # A literal inside the helper, returned through a variable.
    assert (tasks["fixed"].operator, tasks["fixed"].line) == (BASH, 53)


def test_a_helper_task_id_that_is_not_a_passed_literal_is_unresolved() -> None:
    found = dag("helpers_and_subclasses")
    assert [(t.line, t.note) for t in found.tasks if not t.task_id] == [
        (54, "made by make_prefixed()"),
        (56, "made by make_export()"),
    ]
    assert problems("helpers_and_subclasses.py") == [
        (54, "task_id f'export_{name}' is not a literal"),
        (55, "make_many() makes tasks the scan cannot read one by one"),
        (56, "task_id label('f') is not a literal"),
    ]


def test_taskflow_tasks_are_named_by_function_decorator_or_override() -> None:
    tasks = dag("taskflow_etl").tasks
    assert [(t.task_id, t.operator, t.style) for t in tasks if t.style is TaskStyle.TASKFLOW] == [
        ("extract", "airflow.sdk.task", TaskStyle.TASKFLOW),
        ("transform", "airflow.sdk.task.python", TaskStyle.TASKFLOW),
        ("load_rows", "airflow.sdk.task", TaskStyle.TASKFLOW),
        ("extract__1", "airflow.sdk.task", TaskStyle.TASKFLOW),  # called again
        ("extract_again", "airflow.sdk.task", TaskStyle.TASKFLOW),
        ("double", "airflow.sdk.task", TaskStyle.TASKFLOW),
        ("report", "airflow.sdk.task.bash", TaskStyle.TASKFLOW),
        ("shared", "airflow.sdk.task", TaskStyle.TASKFLOW),  # defined at module level
    ]


def test_taskflow_arguments_are_the_decorators_and_overrides() -> None:
    found = dag("taskflow_etl")
    assert task(found, "transform").arguments == ("retries",)
    assert task(found, "extract_again").arguments == ("task_id", "retries")


def test_a_task_records_the_line_of_the_function_it_runs() -> None:
    """A TaskFlow task's ``def`` (also when called again or renamed), a ``python_callable``'s
    ``def``; 0 for an operator that runs no function of the file."""
    lines = {t.task_id: t.function_line for t in dag("taskflow_etl").tasks}
    expected = {"extract": 27, "extract__1": 27, "load_rows": 35, "shared": 11}
    assert {task_id: lines[task_id] for task_id in expected} == expected
    classic = dag("classic_with")
    assert (task(classic, "python").function_line, task(classic, "start").function_line) == (20, 0)


def test_a_python_callable_is_the_latest_function_of_that_name(tmp_path: Path) -> None:
    source = """
        from airflow.providers.standard.operators.python import PythonOperator
        from airflow.sdk import DAG

        def work(): ...

        with DAG("callables"):
            def work(): ...

            PythonOperator(task_id="inner", python_callable=work)
            PythonOperator(task_id="elsewhere", python_callable=other.work)
    """
    tasks = scan_source(tmp_path, source).dags[0].tasks
    assert [(t.task_id, t.function_line) for t in tasks] == [("inner", 8), ("elsewhere", 0)]


def test_dynamic_task_mapping_is_one_task_with_a_note() -> None:
    double = task(dag("taskflow_etl"), "double")
    assert (double.mapped, double.note) == (True, "mapped with expand()")


def test_operator_mapping_with_partial_and_expand(tmp_path: Path) -> None:
    source = """
        from airflow.providers.standard.operators.bash import BashOperator
        from airflow.sdk import DAG

        with DAG("mapped"):
            BashOperator.partial(task_id="echo", cwd="/").expand(bash_command=["a", "b"])
    """
    task = scan_source(tmp_path, source).dags[0].tasks[0]
    assert (task.task_id, task.operator, task.mapped) == ("echo", BASH, True)
    assert task.arguments == ("task_id", "cwd", "bash_command")


# --- dependencies ----------------------------------------------------------------------------


def test_shift_operators_lists_and_set_methods() -> None:
    assert edges(dag("classic_with")) == {
        ("start", "python"),  # a >> b >> c
        ("python", "archive"),
        ("archive", "left"),  # a >> [b, c]
        ("archive", "right"),
        ("left", "end"),  # [b, c] >> d
        ("right", "end"),
        ("inline", "end"),  # a << b
        ("left", "right"),  # set_downstream
        ("start", "end"),  # set_upstream
        ("load.first", "load.second"),
        ("end", "load.first"),  # into a task group: its roots
    }


def test_a_dependency_records_its_line() -> None:
    assert dag("classic_with").dependencies[0] == Dependency("start", "python", 44)


def test_chain_pairs_lists_and_cross_downstream_joins_all() -> None:
    assert edges(dag("assigned_dag")) == {
        ("a", "b"),
        ("a", "c"),
        ("b", "d"),
        ("c", "e"),
        ("d", "f"),
        ("e", "f"),
        ("x", "a"),
        ("x", "f"),
        ("y", "a"),
        ("y", "f"),
    }


def test_chain_linear_joins_every_pair(tmp_path: Path) -> None:
    source = """
        from airflow.providers.standard.operators.empty import EmptyOperator as E
        from airflow.sdk import DAG, chain_linear

        with DAG("linear"):
            chain_linear(E(task_id="a"), [E(task_id="b"), E(task_id="c")], [E(task_id="d"), E(task_id="e")])
    """  # noqa: E501
    assert edges(scan_source(tmp_path, source).dags[0]) == {
        ("a", "b"),
        ("a", "c"),
        ("b", "d"),
        ("b", "e"),
        ("c", "d"),
        ("c", "e"),
    }


def test_taskflow_data_passing_and_mixed_styles() -> None:
    assert edges(dag("taskflow_etl")) == {
        ("extract", "transform"),  # load(transform(extract()))
        ("transform", "load_rows"),
        ("extract__1", "double"),  # double.expand(value=again)
        ("start", "load_rows"),
        ("load_rows", "report"),
        ("extract_again", "report"),
        ("double", "report"),
    }


def test_an_xcom_output_passed_on_is_a_dependency() -> None:
    found = next(d for d in scan([EXAMPLES]).dags if d.dag_id == "fulfilment_order_archive")
    assert ("wait_for_order_batch", "keep_shipped_orders") in edges(found)


def test_a_teardown_depends_on_its_setups(tmp_path: Path) -> None:
    source = """
        from airflow.providers.standard.operators.empty import EmptyOperator
        from airflow.sdk import DAG

        with DAG("setup"):
            create = EmptyOperator(task_id="create").as_setup()
            delete = EmptyOperator(task_id="delete").as_teardown(setups=create)
            create >> EmptyOperator(task_id="work") >> delete
    """
    assert edges(scan_source(tmp_path, source).dags[0]) == {
        ("create", "delete"),
        ("create", "work"),
        ("work", "delete"),
    }


def test_data_passed_inside_a_dict_or_list_is_a_dependency(tmp_path: Path) -> None:
    source = """
        from airflow.sdk import dag, task

        @dag
        def passing():
            @task
            def make() -> int:
                return 1

            @task
            def use(values: dict, more: list) -> None:
                pass

            use({"a": make(), "b": 2}, more=[make.override(task_id="other")(), 3])

        passing()
    """
    assert edges(scan_source(tmp_path, source).dags[0]) == {("make", "use"), ("other", "use")}


def test_setting_a_task_attribute_keeps_its_variable(tmp_path: Path) -> None:
    source = """
        from airflow.providers.standard.operators.empty import EmptyOperator as E
        from airflow.sdk import DAG

        with DAG("documented_tasks"):
            first = E(task_id="first")
            first.doc_md = "The first."
            for name in ["x"]:
                first.set_downstream(E(task_id=name))
            first >> E(task_id="last")
    """
    scanned = scan_source(tmp_path, source)
    assert edges(scanned.dags[0]) == {("first", "last")}
    assert [p.message for p in scanned.problems] == [
        "tasks or dependencies made in a loop are not read"
    ]


def test_an_xcom_passed_to_an_operator_is_a_dependency(tmp_path: Path) -> None:
    source = """
        from airflow.providers.standard.operators.bash import BashOperator
        from airflow.sdk import DAG, task

        def make_echo(name, command):
            return BashOperator(task_id=name, bash_command=command)

        with DAG("xcom_into_operators"):
            @task
            def command() -> str:
                return "true"

            first = BashOperator(task_id="first", bash_command=command())
            make_echo("second", first.output)
    """
    assert edges(scan_source(tmp_path, source).dags[0]) == {
        ("command", "first"),
        ("first", "second"),
    }


def test_setup_teardown_and_async_taskflow_functions_make_tasks(tmp_path: Path) -> None:
    source = """
        from airflow.sdk import DAG, setup, task, teardown

        with DAG("lifecycle"):
            @setup
            def create() -> str:
                return "cluster"

            @task
            async def work(cluster: str) -> None:
                pass

            @teardown
            def delete(cluster: str) -> None:
                pass

            cluster = create()
            work(cluster) >> delete(cluster)
    """
    found = scan_source(tmp_path, source).dags[0]
    assert [(t.task_id, t.operator) for t in found.tasks] == [
        ("create", "airflow.sdk.setup"),
        ("work", "airflow.sdk.task"),
        ("delete", "airflow.sdk.teardown"),
    ]
    assert edges(found) == {("create", "work"), ("create", "delete"), ("work", "delete")}


# --- what is never guessed -------------------------------------------------------------------


def test_unresolvable_constructs_are_located_problems() -> None:
    assert problems("unresolved.py") == [
        (21, "dag_id of DAG ? is not a literal"),
        (23, "tasks or dependencies made in a loop are not read"),
        (25, "tasks or dependencies made in a comprehension are not read"),
        (26, "tasks or dependencies made under a condition are not read"),
        (28, "task_id TASK_ID is not a literal"),
        (29, "LocalOperator does not resolve to a class"),
        (30, "copies is not a task the scan can read"),
        (31, "Label('labelled') is not a task the scan can read"),
        (32, "conditional is not a task the scan can read"),
        (33, "tasks of the @task_group grouped() are not read"),
        (41, "task orphan is made outside any DAG"),
    ]


def test_what_is_readable_beside_unresolvable_constructs_is_kept() -> None:
    found = next(d for d in fixtures().dags if d.file.endswith("unresolved.py"))
    assert found.dag_id == ""
    assert [(t.task_id, t.line, t.mapped) for t in found.tasks] == [
        ("start", 22, False),
        ("", 28, False),
        ("scale", 39, True),
    ]
    assert found.dependencies == ()


def test_a_conditional_expression_is_not_read(tmp_path: Path) -> None:
    source = """
        import os
        from airflow.providers.standard.operators.empty import EmptyOperator as E
        from airflow.sdk import DAG

        with DAG("either"):
            chosen = E(task_id="a") if os.environ.get("A") else E(task_id="b")
            chosen >> E(task_id="c")
    """
    scanned = scan_source(tmp_path, source)
    assert [t.task_id for t in scanned.dags[0].tasks] == ["c"]
    assert [(p.line, p.message) for p in scanned.problems] == [
        (7, "tasks or dependencies made under a condition are not read"),
        (8, "chosen is not a task the scan can read"),
    ]


def test_a_task_group_function_and_a_teardown_context_are_not_read(tmp_path: Path) -> None:
    source = """
        from airflow.sdk import DAG, task, task_group, teardown

        with DAG("grouped"):
            @task_group
            def section(value: int) -> None:
                pass

            @teardown
            def clean() -> None:
                pass

            section.expand(value=[1, 2])
            with clean():
                section(1)
    """
    scanned = scan_source(tmp_path, source)
    assert [(p.line, p.message) for p in scanned.problems] == [
        (13, "tasks of the @task_group section.expand() are not read"),
        (14, "dependencies of with clean(): are not read"),
        (15, "tasks of the @task_group section() are not read"),
    ]
    assert [t.task_id for t in scanned.dags[0].tasks] == ["clean"]


def test_dag_arguments_that_are_not_literals_are_problems_and_left_empty(tmp_path: Path) -> None:
    source = """
        from airflow.sdk import DAG
        from team import default_args, docs, tags

        with DAG("computed", tags=tags(), doc_md=docs.read(), default_args=default_args()):
            pass
    """
    scanned = scan_source(tmp_path, source)
    assert (scanned.dags[0].tags, scanned.dags[0].doc_md) == ((), "")
    assert [p.message for p in scanned.problems] == [
        "tags of DAG computed is not a literal",
        "doc_md of DAG computed is not a literal",
        "default_args of DAG computed is not a literal",
    ]


def test_a_main_guard_is_not_read() -> None:
    assert problems("classic_with.py") == []


def test_a_task_given_an_unknown_dag_is_a_problem(tmp_path: Path) -> None:
    source = """
        from airflow.providers.standard.operators.empty import EmptyOperator
        from airflow.sdk import DAG

        with DAG("known"):
            EmptyOperator(task_id="lost", dag=make_dag())
    """
    scanned = scan_source(tmp_path, source)
    assert [(p.line, p.message) for p in scanned.problems] == [
        (6, "dag=make_dag() is not a DAG the scan can read")
    ]
    assert scanned.dags[0].tasks == ()


# --- the example platform --------------------------------------------------------------------


def test_the_example_daily_entity_archive() -> None:
    scanned = scan([EXAMPLES])
    found = scanned.dag("daily_entity_archive")
    assert found is not None
    assert (found.schedule.expression, found.owner, found.tags) == (
        "@daily",
        "sales-data",
        ("acme", "sales"),
    )
    assert found.doc_md.startswith("Daily customer archive for the sales domain.")
    assert [(t.task_id, t.operator.rpartition(".")[2]) for t in found.tasks] == [
        ("collect_customer_batch", "WaitForBatchOperator"),
        ("load_customers_into_warehouse", "SqliteToPostgresOperator"),
        ("archive_customers", "ArchiveIngestedEntitiesOperator"),
        ("wait_for_crm_segments", "EntityArchivedSensor"),
        ("report_customer_metrics", "CollectMetricsOperator"),
    ]
    assert [(d.upstream, d.downstream) for d in found.dependencies] == [
        ("collect_customer_batch", "load_customers_into_warehouse"),
        ("load_customers_into_warehouse", "archive_customers"),
        ("archive_customers", "wait_for_crm_segments"),
        ("wait_for_crm_segments", "report_customer_metrics"),
    ]


def test_the_example_folder_reads_without_problems() -> None:
    scanned = scan([EXAMPLES])
    assert [d.dag_id for d in scanned.dags] == [
        "daily_entity_archive",
        "fulfilment_order_archive",
        "legacy_customer_export",
        "sales_order_intake",
        "sales_order_reporting",
    ]
    assert scanned.problems == ()


def test_the_conforming_example_is_documented_taskflow_on_in_house_operators() -> None:
    found = scan([EXAMPLES]).dag("fulfilment_order_archive")
    assert found is not None
    assert found.doc_md.startswith("Hourly archive of shipped orders")
    assert {t.style for t in found.tasks} == {TaskStyle.OPERATOR, TaskStyle.TASKFLOW}
    assert all(
        t.operator.startswith("acme_platform.")
        for t in found.tasks
        if t.style is TaskStyle.OPERATOR
    )


def test_the_non_conforming_example_shows_its_flaws() -> None:
    found = scan([EXAMPLES]).dag("legacy_customer_export")
    assert found is not None
    assert found.doc_md == ""
    export = task(found, "export_customers")
    assert export.operator == "acme_platform.operators.legacy.LegacyExportOperator"
    assert "overwrite" in export.arguments
    assert task(found, "count_exported_customers").style is TaskStyle.TASKFLOW


# --- the model -------------------------------------------------------------------------------


def test_locations_are_file_and_line() -> None:
    assert DagProblem("dags/a.py", 0, "x").location == "dags/a.py:1"
    assert Dag("a", "dags/a.py", 7).location == "dags/a.py:7"
