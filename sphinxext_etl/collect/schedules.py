"""When a DAG runs, read into :class:`~sphinxext_etl.model.dags.Schedule`: from a live DAG's
timetable (:func:`from_dag`; :mod:`.schedule_source` reads its ``schedule=`` source), and
assets and their conditions from Airflow's objects, for schedules and task outlets alike.

Airflow's classes are known by name, never imported, so these tables serve the static scan
(which runs without Airflow) and the objects of Airflow 2 and 3. A custom timetable, even a
subclass of Airflow's, is a :attr:`~ScheduleKind.TIMETABLE`, said in its own description."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from sphinxext_etl.model.dags import Asset, AssetCondition, Schedule, ScheduleKind

#: What each preset stands for: Airflow's table (``airflow.utils.dates.cron_presets``, the
#: SDK's ``CRON_PRESETS``) and croniter's two more, which Airflow passes on to croniter as they
#: are. Kept here because the static scan runs without Airflow.
CRON_PRESETS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@quarterly": "0 0 1 */3 *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
#: Airflow's own timetables by class name (the SDK's, core's and Airflow 2's share names).
CRON_TIMETABLES = {"CronTriggerTimetable", "CronDataIntervalTimetable", "CronPartitionTimetable"}
DELTA_TIMETABLES = {"DeltaTriggerTimetable", "DeltaDataIntervalTimetable"}
ASSET_TIMETABLES = {
    "AssetTriggeredTimetable",
    "DatasetTriggeredTimetable",
    "PartitionedAssetTimetable",
}
ASSET_OR_TIME_TIMETABLES = {"AssetOrTimeSchedule", "DatasetOrTimeSchedule"}
#: The timetables (and texts) that stand for one fixed schedule.
FIXED_SCHEDULES = {
    "NullTimetable": Schedule(),
    # Never scheduled: its runs are triggered with a partition key.
    "PartitionedAtRuntime": Schedule(ScheduleKind.NONE, "PartitionedAtRuntime"),
    "OnceTimetable": Schedule(ScheduleKind.ONCE, "@once"),
    "ContinuousTimetable": Schedule(ScheduleKind.CONTINUOUS, "@continuous"),
    "@once": Schedule(ScheduleKind.ONCE, "@once"),
    "@continuous": Schedule(ScheduleKind.CONTINUOUS, "@continuous"),
}
#: Asset classes and the group Airflow 3 gives them by default.
ASSET_CLASSES = {"Asset": "asset", "Dataset": "dataset", "Model": "model"}
ALIAS_CLASSES = {"AssetAlias", "DatasetAlias"}
GROUP_CLASSES = {"AssetAll": "all", "AssetAny": "any", "DatasetAll": "all", "DatasetAny": "any"}
ASSET_NAMES = {*ASSET_CLASSES, *ALIAS_CLASSES, *GROUP_CLASSES}
DELTA_FUNCTIONS = {"datetime.timedelta", "pendulum.duration"}
#: ``timedelta``'s arguments in positional order (``pendulum.duration`` starts the same).
DELTA_ARGUMENTS = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")
UTC_NAMES = {"pendulum.UTC", "datetime.timezone.utc"}


def from_dag(dag: object) -> Schedule:
    """The schedule of a DAG object (Airflow 3's SDK DAG, or Airflow 2's)."""
    schedule = from_timetable(_attribute(dag, "timetable"))
    if schedule.kind != ScheduleKind.CRON:
        return schedule
    # The timetable keeps only the cron a preset stands for; the DAG keeps the argument as
    # given (``schedule`` on Airflow 3, ``schedule_interval`` on Airflow 2).
    given = (_attribute(dag, name) for name in ("schedule", "schedule_interval"))
    preset = next((g for g in given if isinstance(g, str) and g in CRON_PRESETS), "")
    if CRON_PRESETS.get(preset) == schedule.cron:
        return dataclasses.replace(schedule, expression=preset)
    return schedule


def from_timetable(timetable: object) -> Schedule:
    """The schedule a timetable object stands for."""
    if timetable is None:
        return Schedule()
    name = type(timetable).__name__ if type(timetable).__module__.startswith("airflow.") else ""
    if name in CRON_TIMETABLES:
        expression = _attribute(timetable, "expression", "_expression")
        zone = timezone_name(_attribute(timetable, "timezone", "_timezone"))
        if isinstance(expression, str):
            return cron_schedule(expression, zone)
    if name in DELTA_TIMETABLES:
        return interval_schedule(_attribute(timetable, "delta", "_delta"))
    condition = _attribute(timetable, "asset_condition", "dataset_condition")
    if name in ASSET_OR_TIME_TIMETABLES and condition is not None:
        time = from_timetable(_attribute(timetable, "timetable"))
        return assets_or_time_schedule(condition_from_object(condition), time)
    if name in ASSET_TIMETABLES and condition is not None:
        return assets_schedule(condition_from_object(condition))
    if name in FIXED_SCHEDULES:
        return FIXED_SCHEDULES[name]
    cls = type(timetable)
    path = f"{cls.__module__}.{cls.__qualname__}"
    return Schedule(ScheduleKind.TIMETABLE, path, description=_own_description(timetable))


def is_asset(obj: object) -> bool:
    """Whether ``obj`` is an asset, a dataset, an alias or a reference to one (by class)."""
    classes = {c.__name__ for c in type(obj).__mro__}
    references = (c.endswith("Ref") and c.startswith(("Asset", "Dataset")) for c in classes)
    return bool(classes & (ASSET_CLASSES.keys() | ALIAS_CLASSES)) or any(references)


def asset_from_object(obj: object) -> Asset:
    """An ``Asset``, ``Dataset``, ``AssetAlias`` or asset reference (``Asset.ref(...)``) of
    Airflow 2 or 3; anything else is kept by its ``uri``, ``name`` or text."""
    classes = [c.__name__ for c in type(obj).__mro__]
    name, uri, group = (_string(obj, attribute) for attribute in ("name", "uri", "group"))
    if any(c.endswith("Alias") for c in classes):
        return Asset(uri="", name=name, group=group, kind="alias")
    if any(c.endswith("Ref") for c in classes):
        return Asset(uri=uri, name=name, kind="ref")
    return Asset(uri=uri or ("" if name else str(obj)), name=name, group=group)


def condition_from_object(obj: object) -> AssetCondition:
    """An asset condition (``AssetAll``/``AssetAny``, ``DatasetAll``/``DatasetAny``, nested),
    a list of assets (all of them, as Airflow reads a list), or one asset."""
    if isinstance(obj, (list, tuple, set, frozenset)):
        return AssetCondition("all", parts=tuple(map(condition_from_object, obj)))
    objects = _attribute(obj, "objects")
    classes = [c.__name__ for c in type(obj).__mro__]
    operator = next((o for o in ("all", "any") for c in classes if c.endswith(o.title())), "")
    if operator and isinstance(objects, Iterable) and not isinstance(objects, str):
        return AssetCondition(operator, parts=tuple(map(condition_from_object, objects)))
    return AssetCondition("asset", asset_from_object(obj))


def _attribute(obj: object, *names: str) -> Any:
    """The first of ``names`` that ``obj`` has and is not None."""
    for name in names:
        try:
            value = getattr(obj, name, None)
        # A custom timetable's property may raise anything: it is read, not trusted.
        except Exception:
            value = None
        if value is not None:
            return value
    return None


def _string(obj: object, name: str) -> str:
    value = _attribute(obj, name)
    return value if isinstance(value, str) else ""


def timezone_name(zone: object) -> str:
    """``Europe/Amsterdam`` for a name, a pendulum timezone or a ``ZoneInfo``; ``""`` for none."""
    if zone is None:
        return ""
    name = _attribute(zone, "name", "key")
    return name if isinstance(name, str) else str(zone)


def _own_description(timetable: object) -> str:
    """A timetable's ``description``, else its ``summary`` unless that is just its class name."""
    description = _string(timetable, "description")
    summary = "" if description else _string(timetable, "summary")
    return description or ("" if summary == type(timetable).__name__ else summary)


def cron_schedule(expression: str, timezone: str = "") -> Schedule:
    cron = CRON_PRESETS.get(expression, expression)
    return Schedule(ScheduleKind.CRON, expression, cron=cron, timezone=timezone)


def interval_schedule(delta: object) -> Schedule:
    if not isinstance(delta, datetime.timedelta):
        # A relativedelta (``months=1``) has no fixed length.
        return Schedule(ScheduleKind.EXPRESSION, repr(delta))
    seconds = delta.total_seconds()
    # Python's ``str(timedelta)``, also for pendulum's Duration (a subclass that says "1 day").
    expression = str(datetime.timedelta(seconds=seconds))
    return Schedule(ScheduleKind.INTERVAL, expression, seconds=seconds)


def assets_schedule(condition: AssetCondition) -> Schedule:
    return Schedule(ScheduleKind.ASSETS, _condition_text(condition), assets=condition)


def assets_or_time_schedule(condition: AssetCondition, time: Schedule) -> Schedule:
    """Airflow's ``AssetOrTimeSchedule``: the assets, with the time part kept in the cron,
    interval and description fields (the model has no kind for both)."""
    return dataclasses.replace(
        time,
        kind=ScheduleKind.ASSETS,
        expression=f"{_condition_text(condition, nested=True)} | {time.expression}",
        assets=condition,
    )


def _condition_text(condition: AssetCondition, nested: bool = False) -> str:
    """``s3://a & (s3://b | s3://c)``: each asset's key (its URI, else ``alias:name``) joined as
    Airflow's ``&`` and ``|`` join them, in brackets where ``nested`` in another."""
    if condition.asset is not None:
        return condition.asset.key
    joiner = " & " if condition.operator == "all" else " | "
    text = joiner.join(_condition_text(part, nested=True) for part in condition.parts)
    return f"({text})" if nested and len(condition.parts) > 1 else text
