"""A DAG's schedule read statically from its source, and live from the objects Airflow makes."""

from __future__ import annotations

import ast
import dataclasses
import datetime
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import airflow.example_dags
import pendulum
import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.sdk import (
    DAG,
    Asset,
    AssetAlias,
    AssetAll,
    AssetAny,
    AssetOrTimeSchedule,
    CronDataIntervalTimetable,
    CronTriggerTimetable,
    DeltaTriggerTimetable,
    EventsTimetable,
    MultipleCronTriggerTimetable,
)
from airflow.sdk.definitions.asset import AssetBooleanCondition, AssetNameRef
from airflow.timetables.trigger import CronTriggerTimetable as CoreCronTriggerTimetable
from dateutil.relativedelta import relativedelta

from sphinxext_etl.collect.dag_source import FileNames
from sphinxext_etl.collect.schedule_source import from_source
from sphinxext_etl.collect.schedules import (
    asset_from_object,
    condition_from_object,
    from_dag,
    from_timetable,
)
from sphinxext_etl.model.dags import Asset as ModelAsset
from sphinxext_etl.model.dags import AssetCondition, Schedule, ScheduleKind

EXAMPLE_DAGS = Path(airflow.example_dags.__file__).parent
HEADER = """
import datetime
from datetime import timedelta

import pendulum
from airflow.sdk import (
    DAG, Asset, AssetAlias, AssetAll, AssetAny, AssetOrTimeSchedule, CronTriggerTimetable,
    DeltaTriggerTimetable, EventsTimetable, MultipleCronTriggerTimetable,
)
from dateutil.relativedelta import relativedelta
from plugins.workday import AfterWorkdayTimetable

ORDERS = Asset("orders")
CUSTOMERS = Asset(name="customers", uri="s3://crm/customers")
DAILY = "@daily"
"""
ORDERS = ModelAsset(uri="orders", name="orders", group="asset")
CUSTOMERS = ModelAsset(uri="s3://crm/customers", name="customers", group="asset")


def one(asset: ModelAsset) -> AssetCondition:
    return AssetCondition("asset", asset)


def read(schedule: str, before: str = "") -> Schedule:
    """The schedule of ``with DAG("d", schedule=<schedule>)`` in a small DAG file."""
    tree = ast.parse(f'{HEADER}{before}\nwith DAG("d", schedule={schedule}):\n    pass\n')
    names = FileNames.read(tree, "snippet", {})
    dag = tree.body[-1]
    assert isinstance(dag, ast.With) and isinstance(dag.items[0].context_expr, ast.Call)
    keyword = dag.items[0].context_expr.keywords[0]
    return from_source(keyword.value, names.dotted, names.constants)


def live(schedule: Any, **arguments: Any) -> Schedule:
    """The schedule of an Airflow 3 SDK DAG made with ``schedule``."""
    start = arguments.pop("start_date", pendulum.datetime(2024, 1, 1, tz="UTC"))
    return from_dag(DAG("d", schedule=schedule, start_date=start, **arguments))


# --- static --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("None", Schedule()),
        ('"0 2 * * *"', Schedule(ScheduleKind.CRON, "0 2 * * *", cron="0 2 * * *")),
        ('"@daily"', Schedule(ScheduleKind.CRON, "@daily", cron="0 0 * * *")),
        ('"@annually"', Schedule(ScheduleKind.CRON, "@annually", cron="0 0 1 1 *")),
        ("DAILY", Schedule(ScheduleKind.CRON, "@daily", cron="0 0 * * *")),
        ('"@once"', Schedule(ScheduleKind.ONCE, "@once")),
        ('"@continuous"', Schedule(ScheduleKind.CONTINUOUS, "@continuous")),
    ],
)
def test_a_text_schedule_is_read(source: str, expected: Schedule) -> None:
    assert read(source) == expected


@pytest.mark.parametrize(
    ("source", "expression", "seconds"),
    [
        ("timedelta(days=1)", "1 day, 0:00:00", 86_400),
        ("datetime.timedelta(hours=6)", "6:00:00", 21_600),
        ("pendulum.duration(minutes=90)", "1:30:00", 5_400),
        ("timedelta(1, 30)", "1 day, 0:00:30", 86_430),
        ("DeltaTriggerTimetable(timedelta(hours=2))", "2:00:00", 7_200),
    ],
)
def test_an_interval_is_read_in_seconds(source: str, expression: str, seconds: float) -> None:
    assert read(source) == Schedule(ScheduleKind.INTERVAL, expression, seconds=seconds)


def test_a_cron_timetable_keeps_its_timezone() -> None:
    found = read('CronTriggerTimetable("0 2 * * *", timezone="Europe/Amsterdam")')
    assert found == Schedule(
        ScheduleKind.CRON, "0 2 * * *", cron="0 2 * * *", timezone="Europe/Amsterdam"
    )


def test_a_timezone_object_is_read_by_its_name() -> None:
    found = read('CronTriggerTimetable("@daily", timezone=pendulum.timezone("Asia/Tokyo"))')
    assert (found.expression, found.cron, found.timezone) == ("@daily", "0 0 * * *", "Asia/Tokyo")


def test_a_list_of_assets_is_all_of_them() -> None:
    found = read("[ORDERS, CUSTOMERS]")
    assert found == Schedule(
        ScheduleKind.ASSETS,
        "orders & s3://crm/customers",
        assets=AssetCondition("all", parts=(one(ORDERS), one(CUSTOMERS))),
    )


@pytest.mark.parametrize(
    ("source", "expression"),
    [
        ("ORDERS | CUSTOMERS", "orders | s3://crm/customers"),
        ("ORDERS & CUSTOMERS & Asset('c')", "orders & s3://crm/customers & c"),
        ("ORDERS | (CUSTOMERS & Asset('c'))", "orders | (s3://crm/customers & c)"),
        (
            "AssetAll(ORDERS, AssetAny(CUSTOMERS, AssetAlias('al')))",
            "orders & (s3://crm/customers | alias:al)",
        ),
        ("Asset.ref(name='orders')", "ref:orders"),
    ],
)
def test_an_asset_expression_is_read_as_a_condition(source: str, expression: str) -> None:
    found = read(source)
    assert (found.kind, found.expression) == (ScheduleKind.ASSETS, expression)


def test_nested_conditions_keep_airflows_grouping() -> None:
    """``a & b & c`` is one AssetAll, as Airflow builds it; ``a | (b & c)`` nests."""
    assert read("ORDERS | (CUSTOMERS & ORDERS)").assets == AssetCondition(
        "any",
        parts=(one(ORDERS), AssetCondition("all", parts=(one(CUSTOMERS), one(ORDERS)))),
    )


def test_an_alias_and_a_reference_are_told_apart() -> None:
    found = read("[AssetAlias('example-alias'), Asset.ref(uri='s3://x')]").assets
    assert found is not None
    assert list(found.assets()) == [
        ModelAsset(uri="", name="example-alias", group="asset", kind="alias"),
        ModelAsset(uri="s3://x", kind="ref"),
    ]


def test_assets_or_time_keeps_both_parts() -> None:
    source = (
        "AssetOrTimeSchedule(timetable=CronTriggerTimetable('0 1 * * 3', timezone='UTC'),"
        " assets=(ORDERS & CUSTOMERS))"
    )
    assert read(source) == Schedule(
        ScheduleKind.ASSETS,
        "(orders & s3://crm/customers) | 0 1 * * 3",
        cron="0 1 * * 3",
        assets=AssetCondition("all", parts=(one(ORDERS), one(CUSTOMERS))),
        timezone="UTC",
    )


def test_another_timetable_is_named_by_its_class() -> None:
    assert read("AfterWorkdayTimetable()") == Schedule(
        ScheduleKind.TIMETABLE, "plugins.workday.AfterWorkdayTimetable"
    )


def test_a_timetables_description_argument_is_kept() -> None:
    found = read("EventsTimetable(event_dates=[], description='Launch days')")
    assert (found.kind, found.description) == (ScheduleKind.TIMETABLE, "Launch days")


@pytest.mark.parametrize(
    ("source", "before"),
    [
        ("get_schedule()", ""),
        ("relativedelta(months=1)", ""),
        ("pendulum.duration(months=1)", ""),
        ("timedelta(days='1')", ""),
        ("timedelta(10000000000)", ""),
        ("'bogus'", ""),
        ("42", ""),
        ("Asset(f's3://{bucket}')", ""),
        ("Asset(**extra)", ""),
        ("AssetAll(*assets)", ""),
        ("[ORDERS, 1]", ""),
        ("CronTriggerTimetable('0 2 * * *', timezone=TZ)", ""),
        ("CronTriggerTimetable()", ""),
        ("LOOP", "LOOP = LOOP | ORDERS"),
        ("lambda: ORDERS", ""),
    ],
)
def test_what_is_not_read_exactly_is_the_source_text(source: str, before: str) -> None:
    assert read(source, before) == Schedule(ScheduleKind.EXPRESSION, source)


def test_no_schedule_argument_is_none() -> None:
    assert from_source(None, lambda node: "", {}) == Schedule()


# --- live: Airflow 3 SDK DAGs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (None, Schedule()),
        ("0 2 * * *", Schedule(ScheduleKind.CRON, "0 2 * * *", cron="0 2 * * *", timezone="UTC")),
        ("@daily", Schedule(ScheduleKind.CRON, "@daily", cron="0 0 * * *", timezone="UTC")),
        ("@annually", Schedule(ScheduleKind.CRON, "@annually", cron="0 0 1 1 *", timezone="UTC")),
        ("@once", Schedule(ScheduleKind.ONCE, "@once")),
        (
            datetime.timedelta(days=1),
            Schedule(ScheduleKind.INTERVAL, "1 day, 0:00:00", seconds=86_400),
        ),
        (
            DeltaTriggerTimetable(datetime.timedelta(minutes=90)),
            Schedule(ScheduleKind.INTERVAL, "1:30:00", seconds=5_400),
        ),
        (
            CronTriggerTimetable("0 2 * * *", timezone="Europe/Amsterdam"),
            Schedule(ScheduleKind.CRON, "0 2 * * *", cron="0 2 * * *", timezone="Europe/Amsterdam"),
        ),
        (
            CronDataIntervalTimetable("@daily", timezone="UTC"),
            Schedule(ScheduleKind.CRON, "0 0 * * *", cron="0 0 * * *", timezone="UTC"),
        ),
        (relativedelta(months=1), Schedule(ScheduleKind.EXPRESSION, "relativedelta(months=+1)")),
    ],
)
def test_a_dags_timetable_is_read(schedule: Any, expected: Schedule) -> None:
    assert live(schedule) == expected


def test_continuous_is_read() -> None:
    found = live("@continuous", max_active_runs=1)
    assert found == Schedule(ScheduleKind.CONTINUOUS, "@continuous")


def test_a_cron_string_runs_in_the_dags_timezone() -> None:
    found = live("0 2 * * *", start_date=pendulum.datetime(2024, 1, 1, tz="Europe/Amsterdam"))
    assert found.timezone == "Europe/Amsterdam"


def test_a_list_of_assets_is_all_of_them_live() -> None:
    found = live([Asset(name="orders", uri="s3://lake/orders"), Asset("customers")])
    assert found == Schedule(
        ScheduleKind.ASSETS,
        "s3://lake/orders & customers",
        assets=AssetCondition(
            "all",
            parts=(
                one(ModelAsset(uri="s3://lake/orders", name="orders", group="asset")),
                one(ModelAsset(uri="customers", name="customers", group="asset")),
            ),
        ),
    )


def test_a_single_asset_is_its_own_condition_live() -> None:
    found = live(Asset("orders"))
    assert found.assets == one(ModelAsset(uri="orders", name="orders", group="asset"))


@pytest.mark.parametrize(
    ("schedule", "expression"),
    [
        (Asset("a") | Asset("b"), "a | b"),
        (Asset("a") & Asset("b") & Asset("c"), "a & b & c"),
        ((Asset("a") & Asset("b")) | AssetAlias("al"), "(a & b) | alias:al"),
        (AssetAll(Asset("a"), AssetAny(Asset("b"), Asset.ref(name="c"))), "a & (b | ref:c)"),
    ],
)
def test_an_asset_condition_is_read_live(schedule: Any, expression: str) -> None:
    found = live(schedule)
    assert (found.kind, found.expression) == (ScheduleKind.ASSETS, expression)


def test_static_and_live_read_the_same_conditions() -> None:
    source = "(ORDERS | (CUSTOMERS & AssetAlias('al'))) & Asset.ref(name='x')"
    made = (Asset("orders") | (Asset("customers", "s3://crm/customers") & AssetAlias("al"))) & (
        Asset.ref(name="x")
    )
    assert read(source) == live(made)


def test_assets_or_time_is_read_live() -> None:
    timetable = AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("0 2 * * *", timezone="UTC"), assets=[Asset("orders")]
    )
    found = live(timetable)
    assert (found.kind, found.expression, found.cron) == (
        ScheduleKind.ASSETS,
        "orders | 0 2 * * *",
        "0 2 * * *",
    )


def test_other_airflow_timetables_are_named_by_class() -> None:
    found = live(MultipleCronTriggerTimetable("0 2 * * *", "0 14 * * *", timezone="UTC"))
    assert found == Schedule(
        ScheduleKind.TIMETABLE,
        "airflow.sdk.definitions.timetables.trigger.MultipleCronTriggerTimetable",
    )


def test_a_timetables_own_description_is_kept() -> None:
    events = EventsTimetable(event_dates=[pendulum.datetime(2024, 5, 1)], description="May day")
    assert live(events).description == "May day"


class BusinessDays:
    """A custom timetable, as a plugin defines one."""

    description = "Every working day after the close"


class Fragile:
    """A custom timetable whose summary fails when read."""

    @property
    def summary(self) -> str:
        raise RuntimeError("not configured")


def test_a_custom_timetable_is_named_by_its_path_and_said_in_its_description() -> None:
    assert from_timetable(BusinessDays()) == Schedule(
        ScheduleKind.TIMETABLE, f"{__name__}.BusinessDays", description=BusinessDays.description
    )


def test_a_custom_timetable_that_fails_is_still_named() -> None:
    assert from_timetable(Fragile()) == Schedule(ScheduleKind.TIMETABLE, f"{__name__}.Fragile")


def test_a_core_timetable_is_read_from_its_private_attributes() -> None:
    """Serialized DAGs (and Airflow 2) hold core timetables: ``_expression``, ``_timezone``."""
    found = from_timetable(CoreCronTriggerTimetable("0 6 * * 1-5", timezone="UTC"))
    assert found == Schedule(ScheduleKind.CRON, "0 6 * * 1-5", cron="0 6 * * 1-5", timezone="UTC")


# --- live: Airflow 2's objects, by their shape ---------------------------------------------


def airflow2(class_name: str, module: str, /, **attributes: Any) -> object:
    """An object shaped like Airflow 2.10's class ``class_name`` (not installed here)."""
    made = type(class_name, (), {"__module__": module})()
    vars(made).update(attributes)
    return made


def test_an_airflow2_preset_is_kept_from_schedule_interval() -> None:
    timetable = airflow2(
        "CronDataIntervalTimetable",
        "airflow.timetables.interval",
        _expression="0 0 * * *",
        _timezone=pendulum.timezone("UTC"),
    )
    dag = airflow2("DAG", "airflow.models.dag", timetable=timetable, schedule_interval="@daily")
    assert from_dag(dag) == Schedule(ScheduleKind.CRON, "@daily", cron="0 0 * * *", timezone="UTC")


def test_airflow2_datasets_are_read() -> None:
    dataset = airflow2("Dataset", "airflow.datasets", uri="s3://lake/orders", extra={})
    alias = airflow2("DatasetAlias", "airflow.datasets", name="late")
    condition = airflow2("DatasetAny", "airflow.datasets", objects=[dataset, alias])
    timetable = airflow2(
        "DatasetTriggeredTimetable", "airflow.timetables.simple", dataset_condition=condition
    )
    assert from_timetable(timetable) == Schedule(
        ScheduleKind.ASSETS,
        "s3://lake/orders | alias:late",
        assets=AssetCondition(
            "any",
            parts=(
                one(ModelAsset(uri="s3://lake/orders")),
                one(ModelAsset(uri="", name="late", kind="alias")),
            ),
        ),
    )


# --- assets and conditions from objects ----------------------------------------------------


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (Asset("orders"), ModelAsset(uri="orders", name="orders", group="asset")),
        (
            Asset(name="orders", uri="s3://lake/orders", group="sales"),
            ModelAsset(uri="s3://lake/orders", name="orders", group="sales"),
        ),
        (AssetAlias("late"), ModelAsset(uri="", name="late", group="asset", kind="alias")),
        (Asset.ref(name="orders"), ModelAsset(uri="", name="orders", kind="ref")),
        (Asset.ref(uri="s3://lake/orders"), ModelAsset(uri="s3://lake/orders", kind="ref")),
    ],
)
def test_an_asset_object_is_read(made: object, expected: ModelAsset) -> None:
    assert asset_from_object(made) == expected


def test_airflow_normalises_an_asset_uri_and_the_live_reading_keeps_it() -> None:
    """``s3://bucket`` becomes ``s3://bucket/``: a static reading keeps the text as written."""
    assert asset_from_object(Asset(uri="s3://bucket")).uri == "s3://bucket/"


def test_a_list_of_outlets_is_all_of_them() -> None:
    found = condition_from_object([Asset("a"), AssetAny(Asset("b"), Asset("c"))])
    assert [p.operator for p in found.parts] == ["asset", "any"]
    assert [a.name for a in found.assets()] == ["a", "b", "c"]


def test_something_else_is_kept_by_its_text() -> None:
    assert asset_from_object("s3://loose/path") == ModelAsset(uri="s3://loose/path")


# --- Airflow's own example DAGs, through DagBag --------------------------------------------


def keys(condition: object) -> Iterator[str]:
    """Every asset key an SDK condition names, in order, found by the SDK's own classes."""
    if isinstance(condition, AssetBooleanCondition):
        for part in condition.objects:
            yield from keys(part)
    elif isinstance(condition, Asset):
        yield condition.uri
    elif isinstance(condition, AssetAlias):
        yield f"alias:{condition.name}"
    elif isinstance(condition, AssetNameRef):
        yield f"ref:{condition.name}"


@functools.cache
def example_dags(name: str) -> dict[str, Any]:
    bag = DagBag(dag_folder=str(EXAMPLE_DAGS / name))
    assert bag.import_errors == {}
    return dict(bag.dags)


def static_schedules(name: str) -> dict[str, Schedule]:
    """Each DAG's schedule in one example file, read from its source."""
    tree = ast.parse((EXAMPLE_DAGS / name).read_text(encoding="utf-8"))
    names = FileNames.read(tree, Path(name).stem, {})
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and names.dotted(node.func) == "airflow.sdk.DAG":
            keywords = {k.arg: k.value for k in node.keywords}
            dag_id = names.literal(keywords["dag_id"])
            found[str(dag_id)] = from_source(
                keywords.get("schedule"), names.dotted, names.constants
            )
    return found


@pytest.mark.parametrize("name", ["example_assets.py", "example_asset_alias.py"])
def test_an_example_dags_assets_are_what_its_timetable_names(name: str) -> None:
    for dag_id, dag in example_dags(name).items():
        condition = dag.timetable.asset_condition
        if condition is None:
            continue
        assets = from_dag(dag).assets
        assert assets is not None, dag_id
        assert [a.key for a in assets.assets()] == list(dict.fromkeys(keys(condition))), dag_id


def test_an_example_dags_cron_is_its_timetables() -> None:
    dag = example_dags("example_assets.py")["asset_produces_1"]
    assert from_dag(dag) == Schedule(
        ScheduleKind.CRON, "@daily", cron=dag.timetable.expression, timezone="UTC"
    )


@pytest.mark.parametrize("name", ["example_assets.py", "example_asset_alias.py"])
def test_the_static_reading_of_an_example_file_agrees_with_dagbag(name: str) -> None:
    """Only a cron's timezone differs: a plain cron string runs in the DAG's, which the
    ``schedule=`` argument alone does not say."""
    imported = {dag_id: from_dag(dag) for dag_id, dag in example_dags(name).items()}
    static = static_schedules(name)
    for dag_id, schedule in static.items():
        if schedule.kind == ScheduleKind.CRON and not schedule.timezone:
            schedule = dataclasses.replace(schedule, timezone=imported[dag_id].timezone)
        assert schedule == imported[dag_id], dag_id
    assert set(static) == set(imported)
