"""A DAG's schedule read statically from its ``schedule=`` source (:func:`from_source`), with
:mod:`.schedules`' tables of Airflow's timetables and asset classes, known by name."""

from __future__ import annotations

import ast
import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sphinxext_etl.collect import schedules
from sphinxext_etl.collect.ast_facts import literal
from sphinxext_etl.model.dags import Asset, AssetCondition, Schedule, ScheduleKind


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
            return schedules.assets_schedule(condition)
        return self.timetable(node) if isinstance(node, ast.Call) else None

    def timetable(self, call: ast.Call) -> Schedule | None:
        name = self.airflow_name(call)
        if name in schedules.CRON_TIMETABLES:
            given = _given(call, ["cron", "timezone"])
            expression = self.value(given.get("cron") or given.get("expression"))
            zone = given.get("timezone")
            timezone = "" if zone is None else self.timezone(zone)
            # A timezone given but not readable is not guessed as UTC.
            if not isinstance(expression, str) or timezone is None:
                return None
            return schedules.cron_schedule(expression, timezone)
        if name in schedules.DELTA_TIMETABLES:
            return self.interval(_given(call, ["delta"]).get("delta"))
        if name in schedules.ASSET_OR_TIME_TIMETABLES:
            given = _given(call)
            condition, timetable = self.condition(given.get("assets")), given.get("timetable")
            time = None if timetable is None else self.schedule(timetable)
            if condition is None or time is None or time.kind == ScheduleKind.EXPRESSION:
                return None
            return schedules.assets_or_time_schedule(condition, time)
        if name in schedules.ASSET_TIMETABLES:
            condition = self.condition(_given(call, ["assets"]).get("assets"))
            return None if condition is None else schedules.assets_schedule(condition)
        if name in schedules.FIXED_SCHEDULES and not call.args and not call.keywords:
            return schedules.FIXED_SCHEDULES[name]
        path = self.dotted(call.func)
        if path in schedules.DELTA_FUNCTIONS:
            return self.interval(call)
        # Any other class is a timetable: ``schedule=`` takes no other object but assets.
        if path.rpartition(".")[2][:1].isupper() and name not in schedules.ASSET_NAMES:
            text = self.value(_given(call).get("description"))
            description = text if isinstance(text, str) else ""
            return Schedule(ScheduleKind.TIMETABLE, path, description=description)
        return None

    def timezone(self, node: ast.expr) -> str | None:
        """``"UTC"``, ``pendulum.timezone("Europe/Amsterdam")``, ``pendulum.UTC``."""
        node = self.resolved(node)
        if self.dotted(node) in schedules.UTC_NAMES:
            return "UTC"
        if isinstance(node, ast.Call) and len(node.args) == 1:
            node = node.args[0]
        value = self.value(node)
        return value if isinstance(value, str) else None

    def interval(self, node: ast.expr | None) -> Schedule | None:
        """``timedelta(hours=6)``, ``datetime.timedelta(1)``, ``pendulum.duration(days=1)``."""
        node = None if node is None else self.resolved(node)
        function = self.dotted(node.func) if isinstance(node, ast.Call) else ""
        if not isinstance(node, ast.Call) or function not in schedules.DELTA_FUNCTIONS:
            return None
        names = schedules.DELTA_ARGUMENTS
        given = _given(node, names)
        # Months and years (pendulum's) have no fixed length.
        if len(node.args) > len(names) or not set(given) <= set(names):
            return None
        values = {str(name): self.value(value) for name, value in given.items()}
        numbers = {name: v for name, v in values.items() if isinstance(v, int | float)}
        if len(numbers) < len(values):
            return None
        try:
            return schedules.interval_schedule(datetime.timedelta(**numbers))
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
        if name in schedules.GROUP_CLASSES:
            return None if node.keywords else self.group(schedules.GROUP_CLASSES[name], node.args)
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
        if name == "ref" and owner.rpartition(".")[2] in schedules.ASSET_CLASSES:
            values = self.strings(call, "name", "uri") or {}
            if not values:
                return None
            return Asset(uri=values.get("uri", ""), name=values.get("name", ""), kind="ref")
        if name in schedules.ALIAS_CLASSES:
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
        if name not in schedules.ASSET_CLASSES or not named:
            return None
        group = values.get("group", schedules.ASSET_CLASSES[name])
        return Asset(uri=values.get("uri") or named, name=named, group=group)


def _from_text(value: object) -> Schedule | None:
    """``None``, ``"@daily"``, ``"0 2 * * *"``, ``"@once"``."""
    if value is None:
        return Schedule()
    if not isinstance(value, str):
        return None
    if value in schedules.FIXED_SCHEDULES:
        return schedules.FIXED_SCHEDULES[value]
    # Five fields; croniter, which Airflow hands the text to, also reads six or seven.
    if value in schedules.CRON_PRESETS or 5 <= len(value.split()) <= 7:
        return schedules.cron_schedule(value)
    return None
