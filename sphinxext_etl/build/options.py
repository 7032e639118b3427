"""Option converters the directives share: lists, kinds, columns and globs."""

from __future__ import annotations

from sphinxext_etl.model import Kind
from sphinxext_etl.render.catalog import COLUMNS


def comma_list(argument: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (argument or "").split(",") if part.strip())


def kinds_option(argument: str | None) -> tuple[str, ...]:
    """``operator, sensors`` -> ``("operator", "sensor")``; unknown kinds are an error."""
    chosen: list[str] = []
    for part in comma_list(argument):
        kind = Kind.parse(part)
        if kind is None:
            raise ValueError(
                f"unknown kind {part!r}; choose from {', '.join(k.value for k in Kind)}"
            )
        chosen.append(kind.value)
    if not chosen:
        raise ValueError("give at least one kind")
    return tuple(chosen)


def columns_option(argument: str | None) -> tuple[str, ...]:
    chosen = tuple(part.lower() for part in comma_list(argument))
    unknown = [c for c in chosen if c not in COLUMNS]
    if unknown or not chosen:
        raise ValueError(
            f"unknown column(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(COLUMNS)}"
        )
    return chosen


def non_empty_list(argument: str | None) -> tuple[str, ...]:
    values = comma_list(argument)
    if not values:
        raise ValueError("give at least one name")
    return values


def glob_option(argument: str | None) -> str:
    if not argument or not argument.strip():
        raise ValueError("give a glob, such as *Postgres*")
    return argument.strip()
