"""Check the invariants of a built site: its ``catalog.json`` against its sphinx-build warning log.

Usage::

    python scripts/check_catalog.py SITE/catalog.json --warnings WARNINGS.txt [--require NAME ...]

Invariants (each failure is reported on its own, and the exit status is 1):

(a) deprecation evidence: every deprecated component has a non-empty deprecation message, and
    none of the well-known, current classes in ``NOT_DEPRECATED`` is marked deprecated;
(b) deprecated parameters: at least one parameter carries a ``deprecation`` record;
(c) import failures: every module that failed to import (it has ``static`` components, or an
    ``etl.import`` warning names it) has an ``etl.import`` warning in the log, and either a
    component read statically from source or a warning saying it holds none;
(d) ``--require NAME``: the catalog holds a component of that short class name (or path).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sphinxext_etl.model import Catalog, Component, Deprecation, Parameter, loads

#: Current classes of widely used providers: a deprecation mark on any of them is a false alarm.
NOT_DEPRECATED = (
    "KubernetesPodOperator",
    "ExternalTaskSensor",
    "GCSToGCSOperator",
    "GlueJobOperator",
    "SSHHook",
    "SFTPHook",
    "BigQueryCreateEmptyDatasetOperator",
    "DataprocCreateClusterOperator",
    "EksCreateClusterOperator",
)
#: How many offenders a failure message lists before it summarises the rest.
SHOWN = 20
EXAMPLES = 5

#: ``location: WARNING: message`` (the location is absent for some warnings).
_ENTRY = re.compile(r"^(?:(?P<location>.*?): )?(?P<level>WARNING|ERROR|SEVERE|CRITICAL): ")
#: ``[etl.import]`` at the end of a warning, when Sphinx shows warning types.
_TYPE = re.compile(r"\s\[(?P<type>[\w.-]+)\]\s*$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: How an ``etl.import`` warning names the module that failed.
_FAILED_MODULE = re.compile(r"\bmodule (?P<module>[\w.]+)")
#: How a warning says that a module holds no components.
_HOLDS_NONE = re.compile(
    r"\b(?:holds|has|contains|defines|found) (?:none|no (?:public )?(?:components|classes))\b"
    r"|\bno (?:public )?(?:components|classes) (?:found|read|in)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LoggedWarning:
    """One entry of a sphinx-build warning log (continuation lines included)."""

    location: str
    level: str
    message: str
    #: ``etl.import``, ``docutils`` ...; empty when the log does not show it.
    type: str = ""

    def names(self, module: str) -> bool:
        return re.search(rf"(?<![\w.]){re.escape(module)}(?![\w])", self.message) is not None


@dataclass(frozen=True)
class Failure:
    """A failed invariant: what it promises and every offender found."""

    invariant: str
    problems: tuple[str, ...]

    def report(self) -> str:
        lines = [f"FAILED {self.invariant}: {len(self.problems)} problem(s)"]
        lines += [f"  - {problem}" for problem in self.problems[:SHOWN]]
        if len(self.problems) > SHOWN:
            lines.append(f"  ... and {len(self.problems) - SHOWN} more")
        return "\n".join(lines)


# --- reading ------------------------------------------------------------------------------------


def read_catalog(path: Path) -> Catalog:
    return loads(path.read_text(encoding="utf-8"))


def parse_warnings(text: str) -> list[LoggedWarning]:
    """The warnings of a log; lines that start no entry continue the one before."""
    blocks: list[tuple[re.Match[str], list[str]]] = []
    for line in _ANSI.sub("", text).splitlines():
        match = _ENTRY.match(line)
        if match:
            blocks.append((match, [line[match.end() :]]))
        elif blocks and line.strip():
            blocks[-1][1].append(line)
    return [_logged_warning(match, lines) for match, lines in blocks]


def _logged_warning(match: re.Match[str], lines: list[str]) -> LoggedWarning:
    message = "\n".join(lines)
    kind = _TYPE.search(message)
    return LoggedWarning(
        location=match["location"] or "",
        level=match["level"],
        message=message[: kind.start()] if kind else message,
        type=kind["type"] if kind else "",
    )


def read_warnings(paths: Iterable[Path]) -> list[LoggedWarning]:
    return [w for path in paths for w in parse_warnings(path.read_text(encoding="utf-8"))]


# --- facts --------------------------------------------------------------------------------------


def deprecated_components(catalog: Catalog) -> list[Component]:
    return [c for c in catalog if c.deprecated]


def parameter_deprecation(parameter: Parameter) -> Deprecation | None:
    """The parameter's ``deprecation`` record; catalogs written before it existed have none."""
    return getattr(parameter, "deprecation", None)


def deprecated_parameters(catalog: Catalog) -> Iterator[tuple[Component, Parameter]]:
    for component in catalog:
        for parameter in component.parameters:
            if parameter_deprecation(parameter) is not None:
                yield component, parameter


def import_warnings(warnings: Iterable[LoggedWarning]) -> dict[str, list[LoggedWarning]]:
    """``etl.import`` warnings by the module they name."""
    found: dict[str, list[LoggedWarning]] = {}
    for warning in warnings:
        match = _FAILED_MODULE.search(warning.message) if warning.type == "etl.import" else None
        if match:
            found.setdefault(match["module"], []).append(warning)
    return found


def static_modules(catalog: Catalog) -> set[str]:
    return {c.module for c in catalog if c.static}


# --- invariants ---------------------------------------------------------------------------------


def check_deprecation_evidence(catalog: Catalog) -> Failure | None:
    problems = [
        f"{c.path} ({c.owner}) is deprecated with an empty message"
        for c in deprecated_components(catalog)
        if c.deprecation is not None and not c.deprecation.message.strip()
    ]
    problems += [
        f"{c.path} ({c.owner}) is a current class but is marked deprecated: "
        f"{c.deprecation.message!r}"
        for name in NOT_DEPRECATED
        for c in catalog.lookup(name)
        if c.deprecation is not None
    ]
    return _failure("(a) no component is deprecated without class-level evidence", problems)


def check_deprecated_parameters(catalog: Catalog) -> Failure | None:
    if next(deprecated_parameters(catalog), None) is not None:
        return None
    return _failure(
        "(b) at least one deprecated parameter is recorded",
        ["no parameter in the catalog has a 'deprecation' record"],
    )


def check_import_failures(catalog: Catalog, warnings: Sequence[LoggedWarning]) -> Failure | None:
    reported = import_warnings(warnings)
    read_statically = static_modules(catalog)
    problems: list[str] = []
    for module in sorted(read_statically | set(reported)):
        if module not in reported:
            problems.append(f"{module} was read statically but has no etl.import warning")
        elif module not in read_statically and not any(
            w.names(module) and _HOLDS_NONE.search(w.message) for w in warnings
        ):
            problems.append(
                f"{module} failed to import, yet no component was read from its source and "
                "no warning says it holds none"
            )
    return _failure("(c) every failed import is reported and read statically", problems)


def check_required(catalog: Catalog, names: Sequence[str]) -> Failure | None:
    problems = [f"no component named {name}" for name in names if not catalog.lookup(name)]
    return _failure("(d) the required components are in the catalog", problems)


def _failure(invariant: str, problems: Sequence[str]) -> Failure | None:
    return Failure(invariant, tuple(problems)) if problems else None


# --- output -------------------------------------------------------------------------------------


def summary(catalog: Catalog) -> list[str]:
    per_owner = Counter(c.owner for c in catalog)
    lines = [f"owners: {len(catalog.providers)}"]
    lines += [
        f"  {p.name} {p.version}: {per_owner[p.name]} components".rstrip()
        for p in catalog.providers
    ]
    static = [c for c in catalog if c.static]
    lines.append(
        f"components: {len(catalog.components)} ({len(static)} read statically, "
        f"from {len(static_modules(catalog))} modules)"
    )
    deprecated = deprecated_components(catalog)
    lines.append(f"deprecated components: {len(deprecated)}")
    lines += [
        f"  {c.path}: {c.deprecation.message!r}" for c in deprecated if c.deprecation is not None
    ]
    parameters = list(deprecated_parameters(catalog))
    lines.append(f"deprecated parameters: {len(parameters)}")
    lines += [
        f"  {c.path}({p.name}): {parameter_deprecation(p)!r}" for c, p in parameters[:EXAMPLES]
    ]
    return lines


def warning_counts(warnings: Sequence[LoggedWarning]) -> list[str]:
    counts = Counter(f"{w.level} {w.type or '(no type)'}" for w in warnings)
    lines = [f"warnings in the log: {len(warnings)}"]
    lines += [f"  {count:5d} {kind}" for kind, count in counts.most_common()]
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("catalog", type=Path, help="catalog.json of a built HTML site")
    parser.add_argument(
        "--warnings",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="the build's warning log (sphinx-build -w FILE); repeatable. Without it, "
        "invariant (c) is not checked",
    )
    parser.add_argument(
        "--require",
        action="append",
        default=[],
        metavar="NAME",
        help="class that must be in the catalog, by short name or dotted path; repeatable",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.catalog.is_file():
        print(f"{args.catalog} does not exist: did the HTML build finish?", file=sys.stderr)
        return 2
    catalog = read_catalog(args.catalog)
    print(f"catalog: {args.catalog}")
    print("\n".join(summary(catalog)))
    failures = [
        check_deprecation_evidence(catalog),
        check_deprecated_parameters(catalog),
        check_required(catalog, args.require),
    ]
    if args.warnings:
        warnings = read_warnings(args.warnings)
        print("\n".join(warning_counts(warnings)))
        failures.append(check_import_failures(catalog, warnings))
    else:
        print("no warning log given (--warnings): invariant (c) not checked")
    failed = [f for f in failures if f is not None]
    if not failed:
        print("all invariants hold")
        return 0
    sys.stdout.flush()
    for failure in failed:
        print(failure.report(), file=sys.stderr)
    print(f"{len(failed)} invariant(s) failed", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
