"""When a DAG runs, read into :class:`~sphinxext_etl.model.dags.Schedule`: from a live DAG's
timetable (:func:`from_dag`) or statically from its ``schedule=`` source (:func:`from_source`);
and assets and their conditions from Airflow's objects, for schedules and task outlets alike.

Airflow's classes are known by name, never imported, so one table serves the static scan (which
runs without Airflow) and the objects of Airflow 2 and 3. A custom timetable, even a subclass of
Airflow's, is a :attr:`~ScheduleKind.TIMETABLE`, said in its own description."""

from __future__ import annotations

import ast
import dataclasses
import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sphinxext_etl.collect.ast_facts import literal
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
            return _cron(expression, zone)
    if name in DELTA_TIMETABLES:
        return _interval(_attribute(timetable, "delta", "_delta"))
    condition = _attribute(timetable, "asset_condition", "dataset_condition")
    if name in ASSET_OR_TIME_TIMETABLES and condition is not None:
        time = from_timetable(_attribute(timetable, "timetable"))
        return _assets_or_time(condition_from_object(condition), time)
    if name in ASSET_TIMETABLES and condition is not None:
        return _assets(condition_from_object(condition))
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
    description = _attribute(timetable, "description")
    if isinstance(description, str) and description:
        return description
    summary = _attribute(timetable, "summary")
    return summary if isinstance(summary, str) and summary != type(timetable).__name__ else ""


def _cron(expression: str, timezone: str = "") -> Schedule:
    cron = CRON_PRESETS.get(expression, expression)
    return Schedule(ScheduleKind.CRON, expression, cron=cron, timezone=timezone)


def _interval(delta: object) -> Schedule:
    if not isinstance(delta, datetime.timedelta):
        # A relativedelta (``months=1``) has no fixed length.
        return Schedule(ScheduleKind.EXPRESSION, repr(delta))
    seconds = delta.total_seconds()
    # Python's ``str(timedelta)``, also for pendulum's Duration (a subclass that says "1 day").
    expression = str(datetime.timedelta(seconds=seconds))
    return Schedule(ScheduleKind.INTERVAL, expression, seconds=seconds)


def _assets(condition: AssetCondition) -> Schedule:
    return Schedule(ScheduleKind.ASSETS, _condition_text(condition), assets=condition)


def _assets_or_time(condition: AssetCondition, time: Schedule) -> Schedule:
    """Airflow's ``AssetOrTimeSchedule``: the assets, with the time part kept in the cron,
    interval and description fields (the model has no kind for both)."""
    return dataclasses.replace(
        time,
        kind=ScheduleKind.ASSETS,
        expression=f"{_operand(condition)} | {time.expression}",
        assets=condition,
    )


def _condition_text(condition: AssetCondition) -> str:
    """``s3://a & (s3://b | s3://c)``: each asset's key (its URI, else ``alias:name``) joined as
    Airflow's ``&`` and ``|`` join them."""
    if condition.asset is not None:
        return condition.asset.key
    joiner = " & " if condition.operator == "all" else " | "
    return joiner.join(map(_operand, condition.parts))


def _operand(condition: AssetCondition) -> str:
    text = _condition_text(condition)
    return f"({text})" if len(condition.parts) > 1 else text


def from_source(
    node: ast.expr | None,
    dotted: Callable[[ast.expr], str],
    constants: Mapping[str, ast.expr],
) -> Schedule:
    """The schedule a ``schedule=`` argument's source stands for; what is not read exactly
    (a call, a variable) is an :attr:`~ScheduleKind.EXPRESSION` with the source text."""
    if node is None:
        return Schedule()
    try:
        schedule = _Source(dotted, constants).schedule(node)
    # A constant defined through itself (``x = x | y``) would be followed forever.
    except RecursionError:
        schedule = None
    return schedule or Schedule(ScheduleKind.EXPRESSION, ast.unparse(node))


def _given(call: ast.Call, positional: Sequence[str] = ()) -> dict[str | None, ast.expr]:
    """The arguments a call gives by name, ``positional`` naming the positional ones in order
    (``None``: a ``**`` spread)."""
    given: dict[str | None, ast.expr] = dict(zip(positional, call.args, strict=False))
    given.update((k.arg, k.value) for k in call.keywords)
    return given


@dataclass(frozen=True)
class _Source:
    """One file's names, to read a schedule expression with."""

    dotted: Callable[[ast.expr], str]
    constants: Mapping[str, ast.expr]

    def resolved(self, node: ast.expr) -> ast.expr:
        """The expression a module constant's name stands for, through other names."""
        seen: set[str] = set()
        while isinstance(node, ast.Name) and node.id in self.constants and node.id not in seen:
            seen.add(node.id)
            node = self.constants[node.id]
        return node

    def value(self, node: ast.expr | None) -> object:
        return None if node is None else literal(self.resolved(node))

    def strings(self, call: ast.Call, *names: str) -> dict[str, str] | None:
        """The string literals given for ``names`` (positionally in that order, or by
        keyword); None when one is given but is not a string literal."""
        given = _given(call, names)
        values = {name: self.value(given[name]) for name in names if name in given}
        if not all(isinstance(v, str) for v in values.values()):
            return None
        return {name: str(value) for name, value in values.items()}

    def airflow_name(self, call: ast.Call) -> str:
        """The name of the Airflow class or function called (``CronTriggerTimetable``)."""
        path = self.dotted(call.func)
        return path.rpartition(".")[2] if path.startswith("airflow.") else ""

    def schedule(self, node: ast.expr) -> Schedule | None:
        node = self.resolved(node)
        if isinstance(node, ast.Constant):
            return _from_text(node.value)
        condition = self.condition(node)
        if condition is not None:
            return _assets(condition)
        return self.timetable(node) if isinstance(node, ast.Call) else None

    def timetable(self, call: ast.Call) -> Schedule | None:
        name = self.airflow_name(call)
        if name in CRON_TIMETABLES:
            return self.cron_timetable(call)
        if name in DELTA_TIMETABLES:
            return self.interval(_given(call, ["delta"]).get("delta"))
        if name in ASSET_OR_TIME_TIMETABLES:
            return self.assets_or_time(call)
        if name in ASSET_TIMETABLES:
            condition = self.condition(_given(call, ["assets"]).get("assets"))
            return None if condition is None else _assets(condition)
        if name in FIXED_SCHEDULES and not call.args and not call.keywords:
            return FIXED_SCHEDULES[name]
        path = self.dotted(call.func)
        if path in DELTA_FUNCTIONS:
            return self.interval(call)
        # Any other class is a timetable: ``schedule=`` takes no other object but assets.
        if path.rpartition(".")[2][:1].isupper() and name not in ASSET_NAMES:
            text = self.value(_given(call).get("description"))
            description = text if isinstance(text, str) else ""
            return Schedule(ScheduleKind.TIMETABLE, path, description=description)
        return None

    def assets_or_time(self, call: ast.Call) -> Schedule | None:
        given = _given(call)
        condition = self.condition(given.get("assets"))
        timetable = given.get("timetable")
        time = None if timetable is None else self.schedule(timetable)
        if condition is None or time is None or time.kind == ScheduleKind.EXPRESSION:
            return None
        return _assets_or_time(condition, time)

    def cron_timetable(self, call: ast.Call) -> Schedule | None:
        given = _given(call, ["cron", "timezone"])
        expression = self.value(given.get("cron") or given.get("expression"))
        zone = given.get("timezone")
        name = "" if zone is None else self.timezone(zone)
        # A timezone given but not readable is not guessed as UTC.
        if not isinstance(expression, str) or name is None:
            return None
        return _cron(expression, name)

    def timezone(self, node: ast.expr) -> str | None:
        """``"UTC"``, ``pendulum.timezone("Europe/Amsterdam")``, ``pendulum.UTC``."""
        node = self.resolved(node)
        if self.dotted(node) in UTC_NAMES:
            return "UTC"
        if isinstance(node, ast.Call) and len(node.args) == 1:
            node = node.args[0]
        value = self.value(node)
        return value if isinstance(value, str) else None

    def interval(self, node: ast.expr | None) -> Schedule | None:
        """``timedelta(hours=6)``, ``datetime.timedelta(1)``, ``pendulum.duration(days=1)``."""
        node = None if node is None else self.resolved(node)
        if not isinstance(node, ast.Call) or self.dotted(node.func) not in DELTA_FUNCTIONS:
            return None
        given = _given(node, DELTA_ARGUMENTS)
        # Months and years (pendulum's) have no fixed length.
        if len(node.args) > len(DELTA_ARGUMENTS) or not set(given) <= set(DELTA_ARGUMENTS):
            return None
        values = {str(name): self.value(value) for name, value in given.items()}
        numbers = {name: v for name, v in values.items() if isinstance(v, int | float)}
        if len(numbers) < len(values):
            return None
        try:
            return _interval(datetime.timedelta(**numbers))
        except OverflowError:
            return None

    def condition(self, node: ast.expr | None) -> AssetCondition | None:
        """An asset, a list of them (all), ``a & b``, ``a | b``, ``AssetAll(...)``..."""
        node = None if node is None else self.resolved(node)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return self.group("all", node.elts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            return self.combined(node.op, node.left, node.right)
        if not isinstance(node, ast.Call):
            return None
        name = self.airflow_name(node)
        if name in GROUP_CLASSES:
            return None if node.keywords else self.group(GROUP_CLASSES[name], node.args)
        asset = self.asset(node)
        return None if asset is None else AssetCondition("asset", asset)

    def group(self, operator: str, elements: Iterable[ast.expr]) -> AssetCondition | None:
        parts = [self.condition(e) for e in elements]
        if any(p is None for p in parts):
            return None
        return AssetCondition(operator, parts=tuple(p for p in parts if p is not None))

    def combined(self, op: ast.operator, left: ast.expr, right: ast.expr) -> AssetCondition | None:
        operator = "all" if isinstance(op, ast.BitAnd) else "any"
        first, second = self.condition(left), self.condition(right)
        if first is None or second is None:
            return None
        # As Airflow builds it: ``AssetAll & x`` (``AssetAny | x``) extends the group, any
        # other operand starts a new one.
        head = first.parts if first.operator == operator else (first,)
        return AssetCondition(operator, parts=(*head, second))

    def asset(self, call: ast.Call) -> Asset | None:
        """``Asset(...)``, ``Dataset(...)``, ``AssetAlias(...)``, ``Asset.ref(...)``."""
        path = self.dotted(call.func)
        if not path.startswith("airflow."):
            return None
        owner, _, name = path.rpartition(".")
        if name == "ref" and owner.rpartition(".")[2] in ASSET_CLASSES:
            values = self.strings(call, "name", "uri") or {}
            if not values:
                return None
            return Asset(uri=values.get("uri", ""), name=values.get("name", ""), kind="ref")
        if name in ALIAS_CLASSES:
            values = self.strings(call, "name", "group") or {}
            if "name" not in values:
                return None
            return Asset(
                uri="", name=values["name"], group=values.get("group", "asset"), kind="alias"
            )
        # As Airflow 3 makes one: the name is the URI where only one is given. (Airflow 2's
        # ``Dataset(uri)`` takes the URI first, and it is kept as both.)
        values = self.strings(call, "name", "uri", "group") or {}
        named = values.get("name") or values.get("uri", "")
        if name not in ASSET_CLASSES or not named:
            return None
        group = values.get("group", ASSET_CLASSES[name])
        return Asset(uri=values.get("uri") or named, name=named, group=group)


def _from_text(value: object) -> Schedule | None:
    """``None``, ``"@daily"``, ``"0 2 * * *"``, ``"@once"``."""
    if value is None:
        return Schedule()
    if not isinstance(value, str):
        return None
    if value in FIXED_SCHEDULES:
        return FIXED_SCHEDULES[value]
    # Five fields; croniter, which Airflow hands the text to, also reads six or seven.
    if value in CRON_PRESETS or 5 <= len(value.split()) <= 7:
        return _cron(value)
    return None
