"""Libraries that several owners need, imported once in the fork server.

Each worker imports its owner's modules afresh, and with them the libraries those modules
use: ``requests``, ``aiohttp``, ``kubernetes``, ``botocore`` and ``pandas`` came back in tens of
workers, most of the import time of a large platform. A library that two or more of the owners
being read require (directly, or through another provider) is imported once in the fork server
instead, so every worker forked from it starts with it. Owners' own modules never are: what a
provider's module does when imported still reaches only its worker.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.metadata
import io
import signal
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath

from sphinxext_etl.model import PROVIDER_PREFIX, canonical_name

#: Owners that must require a library before it is imported in the fork server.
LEAST_OWNERS = 2
#: Distributions not followed: Airflow itself, which the fork server imports anyway.
_AIRFLOW = frozenset({"apache-airflow", "apache-airflow-core", "apache-airflow-task-sdk"})
#: Seconds the fork server may spend importing shared libraries before it gives up on the rest.
BUDGET = 60
#: Top-level names that packaging mistakes put beside a library: never what an owner imports.
_NOT_LIBRARIES = frozenset(
    {"tests", "test", "docs", "examples", "benchmarks", "scripts", "setup", "conftest"}
)


@functools.cache
def _requires(name: str) -> tuple[str, ...]:
    """The installed distributions ``name`` requires whatever extras are asked for."""
    # Here, not at the top: only a build that starts workers reads requirements.
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        lines = importlib.metadata.distribution(name).requires or []
    except importlib.metadata.PackageNotFoundError:
        return ()
    found = []
    for line in lines:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        marker = requirement.marker
        # An extra's requirement may not be installed, nor needed by what the owner imports.
        if marker is not None and ("extra" in str(marker) or not marker.evaluate()):
            continue
        found.append(canonical_name(requirement.name))
    return tuple(found)


def _needs(distribution: str) -> set[str]:
    """Every installed distribution ``distribution`` needs, itself included, not past Airflow."""
    seen: set[str] = set()
    todo = [distribution]
    while todo:
        name = todo.pop()
        if name in seen or name in _AIRFLOW:
            continue
        seen.add(name)
        todo.extend(_requires(name))
    return seen


def shared_libraries(distributions: Iterable[str]) -> list[str]:
    """The third-party distributions at least :data:`LEAST_OWNERS` of the owners'
    ``distributions`` need, the most needed first (the owners, providers and Airflow are left
    out: they are what the workers read)."""
    owners = set(map(canonical_name, distributions))
    counts: Counter[str] = Counter()
    for name in owners:
        counts.update(_needs(name))
    return [
        name
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if count >= LEAST_OWNERS and name not in owners and not name.startswith(PROVIDER_PREFIX)
    ]


def _top_modules(files: Sequence[PurePosixPath]) -> Iterator[str]:
    """The importable roots among a distribution's files: its outermost regular packages
    (``google/cloud/storage`` in a namespace) and its top-level modules, none private."""
    packages = {path.parent.parts for path in files if path.name == "__init__.py"}
    for parts in sorted(packages):
        if any(parts[:i] in packages for i in range(1, len(parts))):
            continue
        if parts and parts[0] not in _NOT_LIBRARIES and all(map(_public, parts)):
            yield ".".join(parts)
    modules = (p.stem for p in files if len(p.parts) == 1 and p.suffix == ".py")
    yield from (m for m in modules if _public(m) and m not in _NOT_LIBRARIES)


def _public(name: str) -> bool:
    return name.isidentifier() and not name.startswith("_")


def shared_modules(distributions: Iterable[str]) -> list[str]:
    """The modules to import in the fork server for the owners' ``distributions``: the roots
    of their shared libraries."""
    modules: list[str] = []
    for name in shared_libraries(distributions):
        try:
            files = importlib.metadata.distribution(name).files or []
        except importlib.metadata.PackageNotFoundError:
            continue
        roots = [PurePosixPath(str(f)) for f in files if not str(f).startswith("..")]
        modules.extend(m for m in _top_modules(roots) if m not in modules)
    return modules


class _OutOfTime(Exception):
    pass


def _out_of_time(signum: int, frame: object) -> None:
    raise _OutOfTime


def import_all(modules: Sequence[str], budget: int = BUDGET) -> list[str]:
    """Import ``modules`` (in the fork server), silently, skipping any that fails; stop after
    ``budget`` seconds where an alarm can say so. The names imported."""
    imported: list[str] = []
    alarm = hasattr(signal, "SIGALRM")
    previous = signal.signal(signal.SIGALRM, _out_of_time) if alarm else None
    if alarm:
        signal.alarm(budget)
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for module in modules:
                try:
                    importlib.import_module(module)
                except _OutOfTime:
                    break
                except Exception:  # the worker that needs it will say why
                    continue
                imported.append(module)
    except _OutOfTime:
        pass
    finally:
        if alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    return imported
