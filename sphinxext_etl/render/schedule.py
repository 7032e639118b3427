"""A DAG's schedule in plain words for a business reader, and the raw expression beside them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cron_descriptor import DescriptionTypeEnum, ExpressionDescriptor, Options

from sphinxext_etl.model.dags import Asset, AssetCondition, Schedule, ScheduleKind

#: How each asset is named in the words (the reST renderer passes one that links it).
AssetName = Callable[[Asset], str]

#: Airflow's ``[core] default_timezone``, for a cron schedule that names none.
DEFAULT_TIMEZONE = "UTC"
#: The units an interval is said in, largest first.
UNITS = (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1))
FIXED_WORDS = {
    ScheduleKind.NONE: "Only when triggered",
    ScheduleKind.ONCE: "Once",
    ScheduleKind.CONTINUOUS: "Continuously: a new run as soon as the last one ends",
}
# The locale is fixed: cron-descriptor otherwise follows the build machine's, and would write
# the words in its language (or with AM/PM).
CRON_OPTIONS = Options(locale_code="en_US", use_24hour_time_format=True)


def schedule_words(schedule: Schedule, asset: AssetName = lambda a: a.title) -> str:
    """``Every day at 02:00 (UTC)``, ``When orders and customers are both updated``..."""
    kind = schedule.kind
    if kind in FIXED_WORDS:
        return FIXED_WORDS[kind]
    if kind == ScheduleKind.CRON:
        return cron_words(schedule.cron or schedule.expression, schedule.timezone)
    if kind == ScheduleKind.INTERVAL:
        return interval_words(schedule.seconds)
    if kind == ScheduleKind.ASSETS:
        return _asset_schedule_words(schedule, asset)
    if kind == ScheduleKind.TIMETABLE:
        return schedule.description or f"By the timetable {schedule.expression.rpartition('.')[2]}"
    return f"As given by {schedule.expression}"


def schedule_parts(schedule: Schedule) -> list[str | Asset]:
    """The schedule in words as its text and the assets it names, in order, for a caller that
    writes each asset its own way (a link in reST, a reference node)."""
    assets: list[Asset] = []

    def placeholder(asset: Asset) -> str:
        assets.append(asset)
        return f"\x00{len(assets) - 1}\x00"

    # Each asset stands in the words as "\0<index>\0": split, the odd parts are the assets.
    pieces = schedule_words(schedule, placeholder).split("\x00")
    return [
        assets[int(piece)] if index % 2 else piece for index, piece in enumerate(pieces) if piece
    ]


def schedule_expression(schedule: Schedule) -> str:
    """The raw expression: ``0 2 * * *``, ``@daily (0 0 * * *)``, ``1 day, 0:00:00``..."""
    if schedule.kind == ScheduleKind.CRON and schedule.cron not in ("", schedule.expression):
        return f"{schedule.expression} ({schedule.cron})"
    return schedule.expression


def cron_words(cron: str, timezone: str = "") -> str:
    """A cron expression in words, with its timezone where the hour or the day depends on it."""
    fields = cron.split()
    text = f"On the cron schedule {cron}"
    # Airflow reads a sixth field as seconds and cron-descriptor reads the first: say it as is.
    if len(fields) == 5:
        try:
            text = _cron_text(ExpressionDescriptor(cron, CRON_OPTIONS), fields)
        # cron-descriptor raises assorted errors for expressions Airflow would refuse anyway.
        except Exception:
            text = f"On the cron schedule {cron}"
    if fields[1:] == ["*", "*", "*", "*"]:
        return text
    return f"{text} ({timezone or DEFAULT_TIMEZONE})"


def _cron_text(descriptor: ExpressionDescriptor, fields: Sequence[str]) -> str:
    """cron-descriptor's description, reworded where the time is fixed (``At 02:00`` ->
    ``Every day at 02:00``)."""
    minute, hour, day, month, weekday = fields
    part = descriptor.get_description
    if not (minute.isdigit() and all(h.isdigit() for h in hour.split(","))):
        return part(DescriptionTypeEnum.FULL)
    at = part(DescriptionTypeEnum.TIMEOFDAY).removeprefix("At ")
    if (day, month, weekday) == ("*", "*", "*"):
        return f"Every day at {at}"
    if (day, month) == ("*", "*") and all(_single(w) for w in weekday.split(",")):
        return f"Every {part(DescriptionTypeEnum.DAYOFWEEK).removeprefix(', only on ')} at {at}"
    day_text = part(DescriptionTypeEnum.DAYOFMONTH)
    if (month, weekday) == ("*", "*") and day_text.startswith(", on "):
        on_day = day_text.removeprefix(", on ").replace(" of the month", " of every month")
        return f"On {on_day} at {at}"
    if day.isdigit() and _single(month) and weekday == "*":
        month_name = part(DescriptionTypeEnum.MONTH).removeprefix(", only in ")
        return f"Every year on {day} {month_name} at {at}"
    return part(DescriptionTypeEnum.FULL)


def _single(field: str) -> bool:
    """One day or month, by number or name (``1``, ``MON``), not a range, step or ``L``/``#``."""
    return field.isdigit() or (field.isalpha() and len(field) == 3)


def duration_parts(seconds: float) -> list[str]:
    """``5400`` -> ``["1 hour", "30 minutes"]``: each unit that is not zero, largest first."""
    remaining = round(seconds)
    said = []
    for unit, size in UNITS:
        count, remaining = divmod(remaining, size)
        if count:
            said.append(f"{count} {unit}{'' if count == 1 else 's'}")
    return said


def interval_words(seconds: float) -> str:
    """``Every 1 day``, ``Every 6 hours``, ``Every 1 hour 30 minutes``."""
    return f"Every {' '.join(duration_parts(seconds)) or '0 seconds'}"


def _asset_schedule_words(schedule: Schedule, asset: AssetName) -> str:
    condition = schedule.assets
    if condition is None or next(condition.assets(), None) is None:
        return "Only when triggered (it waits on no asset)"
    words = condition_words(condition, asset)
    # An "asset or time" schedule keeps its time part in the cron/interval fields.
    time = _time_words(schedule)
    return f"{words}, or {time[:1].lower()}{time[1:]}" if time else words


def _time_words(schedule: Schedule) -> str:
    if schedule.cron:
        return cron_words(schedule.cron, schedule.timezone)
    if schedule.seconds:
        return interval_words(schedule.seconds)
    return schedule.description


def condition_words(condition: AssetCondition, asset: AssetName = lambda a: a.title) -> str:
    """``When orders is updated``, ``When orders and customers are both updated``..."""
    return f"When {_clause(_simplified(condition), asset, nested=False)}"


def _simplified(condition: AssetCondition) -> AssetCondition:
    """The same condition with one-part groups dropped and ``all`` in ``all`` (``any`` in
    ``any``) merged: what Airflow evaluates, said once."""
    if condition.operator == "asset":
        return condition
    parts: list[AssetCondition] = []
    for part in map(_simplified, condition.parts):
        parts.extend(part.parts if part.operator == condition.operator else (part,))
    return parts[0] if len(parts) == 1 else AssetCondition(condition.operator, parts=tuple(parts))


def _clause(condition: AssetCondition, asset: AssetName, *, nested: bool) -> str:
    if condition.asset is not None:
        return f"{asset(condition.asset)} is updated"
    both = "both" if len(condition.parts) == 2 else "all"
    if all(p.asset is not None for p in condition.parts):
        names = [asset(p.asset) for p in condition.parts if p.asset is not None]
        if condition.operator == "all":
            return f"{listing(names, 'and')} are {both} updated"
        return f"{'either ' if nested else ''}{listing(names, 'or')} is updated"
    clauses = [_clause(p, asset, nested=True) for p in condition.parts]
    if condition.operator == "all":
        return listing(clauses, "and")
    return f"{'either ' if nested else ''}{', or '.join(clauses)}"


def listing(items: Sequence[str], conjunction: str) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
