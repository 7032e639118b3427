"""Reading owners in worker processes: the Sphinx process never imports their modules.

Each owner is read by :func:`sphinxext_etl.collect.read_owner` in a fresh worker of
:mod:`.pool`, so whatever its modules do when imported (exit, crash, hang, patch globals)
reaches neither the build nor another owner. A module that ended its worker gets an
``etl.import`` failure, and a new worker reads the owner again with that module read from
source; after :data:`MAX_FAILED_ATTEMPTS`, the owner is read from source here, importing nothing.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sphinxext_etl import collect
from sphinxext_etl.collect import pool
from sphinxext_etl.collect.cache import OwnerRecord
from sphinxext_etl.collect.discovery import CORE_PACKAGE, Owner
from sphinxext_etl.collect.modules import module_file
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import ImportFailure
from sphinxext_etl.model.json import from_json

#: Worker attempts per owner that may fail before it is read from source, importing nothing.
MAX_FAILED_ATTEMPTS = 4


@dataclass(frozen=True)
class _Task:
    """One owner on its way to a record; the modules that failed so far are read from source."""

    owner: Owner
    failures: tuple[ImportFailure, ...] = ()

    def config(self, config: EtlConfig) -> EtlConfig:
        failed = [p for f in self.failures for p in (f.module, f"{f.module}.*")]
        return dataclasses.replace(config, static_modules=[*config.static_modules, *failed])


def _read(owner: Owner, config: EtlConfig, announce: Callable[[str], None]) -> dict[str, Any]:
    """A worker's task: one owner's record."""

    def next_module(module: str) -> None:
        # What the modules read so far left alive stays alive until the worker ends with its
        # owner: frozen, the cyclic collector stops walking it again at every collection
        # (half of a large provider's introspection time went there).
        gc.freeze()
        announce(module)

    return collect.read_owner(owner, config, next_module).to_json()


def read_records(owners: Sequence[Owner], config: EtlConfig) -> Iterator[tuple[Owner, OwnerRecord]]:
    """Read each owner in worker processes, ``etl_workers`` at a time; yield ``(owner,
    record)`` as each one is done, in the order they finish."""
    if not owners:
        return
    # Largest first: the longest owner must not start last, after the others are done.
    waiting = deque(_Task(owner) for owner in sorted(owners, key=collect.weight, reverse=True))
    results = pool.run(
        waiting,
        lambda task: (_read, (task.owner, task.config(config))),
        workers=min(config.workers or os.cpu_count() or 1, len(owners)),
        timeout=config.import_timeout,
        preload_for=[o.distribution for o in owners if o.distribution is not None],
        dags=config.imports_dags,
    )
    for task, outcome in results:
        if not isinstance(outcome, pool.Failure):
            record = from_json(OwnerRecord, outcome)
            yield (
                task.owner,
                dataclasses.replace(record, failures=(*task.failures, *record.failures)),
            )
            continue
        failed = _failed(task, outcome)
        # A module that ended its worker is read from source by the next one.
        retry = failed is not task and outcome.module not in ("", _info(task.owner))
        if retry and len(failed.failures) < MAX_FAILED_ATTEMPTS:
            waiting.appendleft(failed)
            continue
        yield task.owner, _read_here(failed, config)
        # A worker that could not start means none will: read the rest here.
        while not outcome.started and waiting:
            rest = waiting.popleft()
            yield rest.owner, _read_here(_failed(rest, outcome), config)


def _info(owner: Owner) -> str:
    """The module that stands for the owner: a provider's info module (imported to list its
    modules), a package's ``__init__``."""
    return (
        owner.name if owner.in_house else CORE_PACKAGE if owner.core else collect.info_module(owner)
    )


def _failed(task: _Task, failure: pool.Failure) -> _Task:
    """The task with the failure recorded, at the module it was importing and its line, else
    at the module that stands for the owner."""
    module = failure.module or _info(task.owner)
    if module in {f.module for f in task.failures}:
        return task
    cause = f"the worker raised {failure.cause}" if failure.raised else failure.cause
    if not failure.started:
        cause += " while starting (importing Airflow)"
    elif not failure.module:
        cause += " before it read a module"
    else:
        cause += " while reading it" if failure.raised else " while importing it"
    file = module_file(module) or ""
    line = failure.line_in(file or module) if failure.module else 0
    found = ImportFailure(module, cause, file, line)
    return dataclasses.replace(task, failures=(*task.failures, found))


def _read_here(task: _Task, config: EtlConfig) -> OwnerRecord:
    """Read an owner in this process without importing anything: every module from source,
    a provider's modules found by walking its package."""
    every = dataclasses.replace(config, static_modules=["*"])
    record = collect.read_owner(task.owner, every, provider_info=False)
    message = (
        f"every module of {task.owner.name} was read statically from source, as its "
        f"worker processes failed {len(task.failures)} time(s)"
    )
    problems = (*record.problems, (message, task.failures[-1].location, "import"))
    return dataclasses.replace(
        record, failures=(*task.failures, *record.failures), problems=problems
    )
