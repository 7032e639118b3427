"""A DAG's schedule in words for a business reader, and the raw expression shown beside them."""

from __future__ import annotations

import pytest

from sphinxext_etl.model.dags import Asset, AssetCondition, Schedule, ScheduleKind
from sphinxext_etl.render.schedule import schedule_expression, schedule_words


def cron(expression: str, timezone: str = "") -> Schedule:
    """A cron schedule as the collector makes it (a preset keeps the cron it stands for)."""
    presets = {"@daily": "0 0 * * *", "@hourly": "0 * * * *", "@weekly": "0 0 * * 0"}
    return Schedule(
        ScheduleKind.CRON, expression, cron=presets.get(expression, expression), timezone=timezone
    )


def asset(name: str) -> AssetCondition:
    return AssetCondition("asset", Asset(uri=f"s3://lake/{name}", name=name))


def all_of(*parts: AssetCondition) -> AssetCondition:
    return AssetCondition("all", parts=parts)


def any_of(*parts: AssetCondition) -> AssetCondition:
    return AssetCondition("any", parts=parts)


def assets(condition: AssetCondition, expression: str = "") -> Schedule:
    return Schedule(ScheduleKind.ASSETS, expression, assets=condition)


# --- cron ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        (cron("0 2 * * *", "UTC"), "Every day at 02:00 (UTC)"),
        (cron("@daily"), "Every day at 00:00 (UTC)"),
        (cron("@hourly"), "Every hour"),
        (cron("0 6 * * 1-5"), "At 06:00, Monday through Friday (UTC)"),
        (cron("@weekly"), "Every Sunday at 00:00 (UTC)"),
        (cron("30 2 * * MON,FRI"), "Every Monday and Friday at 02:30 (UTC)"),
        (cron("0 9,17 * * *"), "Every day at 09:00 and 17:00 (UTC)"),
        (cron("0 0 1 * *"), "On day 1 of every month at 00:00 (UTC)"),
        (cron("0 0 L * *"), "On the last day of every month at 00:00 (UTC)"),
        (cron("0 0 1 1 *"), "Every year on 1 January at 00:00 (UTC)"),
        (cron("0 0 1 */3 *"), "At 00:00, on day 1 of the month, every 3 months (UTC)"),
        (cron("*/15 * * * *"), "Every 15 minutes"),
        (cron("0 */2 * * *"), "Every 2 hours (UTC)"),
    ],
)
def test_a_cron_schedule_is_said_in_words(schedule: Schedule, words: str) -> None:
    assert schedule_words(schedule) == words


def test_a_cron_schedule_names_its_own_timezone() -> None:
    words = schedule_words(cron("0 2 * * *", "Europe/Amsterdam"))
    assert words == "Every day at 02:00 (Europe/Amsterdam)"


def test_a_cron_that_only_sets_the_minute_names_no_timezone() -> None:
    """Every hour runs at the same moment whatever the timezone."""
    assert schedule_words(cron("30 * * * *", "Europe/Amsterdam")) == "At 30 minutes past the hour"


@pytest.mark.parametrize("expression", ["0 2 * * 8", "bogus", "0 2 * * * 30"])
def test_a_cron_it_cannot_describe_is_shown_as_it_is(expression: str) -> None:
    """cron-descriptor fails, or would read a sixth field differently from Airflow."""
    assert schedule_words(cron(expression)) == f"On the cron schedule {expression} (UTC)"


# --- intervals and the fixed kinds ---------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (86_400, "Every 1 day"),
        (6 * 3_600, "Every 6 hours"),
        (5_400, "Every 1 hour 30 minutes"),
        (90_061, "Every 1 day 1 hour 1 minute 1 second"),
    ],
)
def test_an_interval_is_said_in_units(seconds: float, words: str) -> None:
    schedule = Schedule(ScheduleKind.INTERVAL, "x", seconds=seconds)
    assert schedule_words(schedule) == words


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        (Schedule(), "Only when triggered"),
        (Schedule(ScheduleKind.ONCE, "@once"), "Once"),
        (
            Schedule(ScheduleKind.CONTINUOUS, "@continuous"),
            "Continuously: a new run as soon as the last one ends",
        ),
    ],
)
def test_the_fixed_kinds_have_fixed_words(schedule: Schedule, words: str) -> None:
    assert schedule_words(schedule) == words


def test_a_timetable_is_said_in_its_own_description() -> None:
    schedule = Schedule(ScheduleKind.TIMETABLE, "plugins.workday.Workdays", description="Workdays")
    assert schedule_words(schedule) == "Workdays"


def test_a_timetable_without_a_description_is_named_by_its_class() -> None:
    schedule = Schedule(ScheduleKind.TIMETABLE, "plugins.workday.AfterWorkdayTimetable")
    assert schedule_words(schedule) == "By the timetable AfterWorkdayTimetable"


def test_an_expression_is_shown_as_given() -> None:
    schedule = Schedule(ScheduleKind.EXPRESSION, "get_schedule()")
    assert schedule_words(schedule) == "As given by get_schedule()"


# --- assets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (asset("orders"), "When orders is updated"),
        (all_of(asset("orders")), "When orders is updated"),
        (all_of(asset("orders"), asset("customers")), "When orders and customers are both updated"),
        (all_of(asset("a"), asset("b"), asset("c")), "When a, b and c are all updated"),
        (any_of(asset("orders"), asset("customers")), "When orders or customers is updated"),
        (any_of(asset("a"), asset("b"), asset("c")), "When a, b or c is updated"),
        (
            any_of(asset("a"), all_of(asset("b"), asset("c"))),
            "When a is updated, or b and c are both updated",
        ),
        (
            all_of(asset("a"), any_of(asset("b"), asset("c"))),
            "When a is updated and either b or c is updated",
        ),
        (
            all_of(any_of(asset("a"), asset("b")), any_of(asset("c"), asset("d"))),
            "When either a or b is updated and either c or d is updated",
        ),
        # All of (all of ...) is one "all", as Airflow evaluates it.
        (all_of(asset("a"), all_of(asset("b"), asset("c"))), "When a, b and c are all updated"),
    ],
)
def test_an_asset_condition_is_said_in_words(condition: AssetCondition, words: str) -> None:
    assert schedule_words(assets(condition)) == words


def test_asset_names_are_formatted_by_the_callback_only() -> None:
    schedule = assets(any_of(asset("orders"), asset("customers")))
    words = schedule_words(schedule, lambda a: f":asset:`{a.uri}`")
    assert words == "When :asset:`s3://lake/orders` or :asset:`s3://lake/customers` is updated"


def test_an_alias_is_named_by_its_name() -> None:
    alias = AssetCondition("asset", Asset(uri="", name="example-alias", kind="alias"))
    assert schedule_words(assets(alias)) == "When example-alias is updated"


def test_assets_or_time_says_both() -> None:
    schedule = Schedule(
        ScheduleKind.ASSETS,
        "s3://lake/orders | 0 2 * * *",
        cron="0 2 * * *",
        assets=all_of(asset("orders")),
        timezone="UTC",
    )
    assert schedule_words(schedule) == "When orders is updated, or every day at 02:00 (UTC)"


def test_an_asset_schedule_naming_no_asset_waits_on_nothing() -> None:
    assert schedule_words(assets(all_of())) == "Only when triggered (it waits on no asset)"


# --- the raw expression --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "expression"),
    [
        (cron("0 2 * * *"), "0 2 * * *"),
        (cron("@daily"), "@daily (0 0 * * *)"),
        (Schedule(ScheduleKind.INTERVAL, "1 day, 0:00:00", seconds=86_400), "1 day, 0:00:00"),
        (
            assets(asset("orders"), "s3://lake/orders & s3://lake/customers"),
            "s3://lake/orders & s3://lake/customers",
        ),
        (Schedule(), "None"),
        (Schedule(ScheduleKind.ONCE, "@once"), "@once"),
        (Schedule(ScheduleKind.TIMETABLE, "plugins.workday.Workdays"), "plugins.workday.Workdays"),
    ],
)
def test_the_raw_expression_is_shown_beside_the_words(schedule: Schedule, expression: str) -> None:
    assert schedule_expression(schedule) == expression
