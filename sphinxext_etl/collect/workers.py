"""Reading owners in worker processes: the Sphinx process never imports their modules.

Each owner is read by :func:`sphinxext_etl.collect.read_owner` in a process of its own (a
``pebble`` pool whose workers do one task each), forked from a fork server that imported
Airflow once (spawned where there is none), so whatever its modules do when imported (exit,
crash, hang, patch globals) reaches neither the build nor another owner. A worker writes each
module's name to its status file before it imports it, and a watchdog of its own ends it, with
its stack in that file, when one module takes longer than ``etl_import_timeout``. A module that
ended its worker gets an ``etl.import`` failure and a new worker reads the owner again, with
that module read from source.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import faulthandler
import functools
import gc
import importlib
import io
import itertools
import json
import multiprocessing
import multiprocessing.util
import os
import sys
import tempfile
import time
import types
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing import forkserver
from pathlib import Path
from typing import TYPE_CHECKING

import pebble

from sphinxext_etl import collect
from sphinxext_etl.collect import preload, stacks
from sphinxext_etl.collect.airflow import airflow_bases, ensure_airflow_home
from sphinxext_etl.collect.cache import OwnerRecord
from sphinxext_etl.collect.discovery import CORE_PACKAGE, Owner
from sphinxext_etl.collect.modules import module_file
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import ImportFailure

if TYPE_CHECKING:
    from multiprocessing.context import ForkServerContext, SpawnContext

    Context = ForkServerContext | SpawnContext

#: Worker attempts per owner that may fail before the rest of it is read from source.
MAX_FAILED_ATTEMPTS = 4
#: Seconds a worker may take to start, whatever ``etl_import_timeout`` says (a spawned worker
#: imports Airflow first).
STARTUP_LIMIT = 120.0
#: Longest wait between looks at the running workers, in seconds.
_POLL = 1.0
#: Seconds past a worker's own watchdog before the pool ends a worker that wrote nothing: one
#: that exited with code 0 (the pool does not report it) or whose watchdog could not fire.
_GRACE = 5.0
#: Set while the fork server starts: importing this module there warms it up.
_WARM_UP = "SPHINXEXT_ETL_WARM_UP_FORK_SERVER"
#: Bound before any owner's module can patch :mod:`json`.
_dumps = json.dumps


# --- in the worker ------------------------------------------------------------------------------


def _warm_up() -> None:
    """Import Airflow and resolve its base classes (``airflow_bases`` is cached): once in the
    fork server, so that every worker forked from it starts with them."""
    ensure_airflow_home()
    with contextlib.suppress(Exception), contextlib.redirect_stdout(io.StringIO()):
        airflow_bases()


def _isolate(environ: dict[str, str], status: int, timeout: float) -> None:
    """Make a fresh worker read as the Sphinx process would have (its environment; its
    ``sys.path`` and folder come with multiprocessing), silently, with its stack written to
    the status file if it crashes or starts for longer than it may."""
    os.environ.clear()
    os.environ.update(environ)
    importlib.invalidate_caches()
    # Modules that print when imported must not write into Sphinx's output.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    faulthandler.enable(file=status, all_threads=True)
    faulthandler.dump_traceback_later(max(timeout, STARTUP_LIMIT), exit=True, file=status)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        # A module that segfaults leaves no core file behind.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Once the record is sent, nothing an owner's module left behind (a thread, a child
    # process) may keep the worker from exiting: the pool would wait for it.
    multiprocessing.util.Finalize(None, os._exit, args=(0,), exitpriority=100)
    _warm_up()


def _announce(status: int, timeout: float, module: str) -> None:
    """Tell the parent which module the worker reads now (before it imports it), and give it
    ``timeout`` seconds: past them, faulthandler writes the stack and ends the worker."""
    os.write(status, f"module {module}\n".encode())
    faulthandler.dump_traceback_later(timeout, exit=True, file=status)


def _work(owner: Owner, config: EtlConfig, environ: dict[str, str], status_path: str) -> str:
    """A worker's one task: read one owner; its record, or what it raised, as JSON."""
    status = os.open(status_path, os.O_WRONLY | os.O_APPEND)
    try:
        _isolate(environ, status, config.import_timeout)
        os.write(status, f"ready {os.getpid()}\n".encode())
        on_module = functools.partial(_announce, status, config.import_timeout)
        record = collect.read_owner(owner, config, on_module)
        faulthandler.cancel_dump_traceback_later()
        return _dumps({"record": record.to_json()})
    except BaseException as exc:  # whatever an owner's module raises, the parent hears of it
        return _dumps({"error": f"{type(exc).__name__}: {exc}"})


def _started() -> None:
    """The fork server's first child: that it starts at all is what counts."""


# --- in the Sphinx process ----------------------------------------------------------------------


@dataclass
class _Task:
    """One owner on its way to a record; the modules that failed so far are read from source."""

    owner: Owner
    failures: list[ImportFailure] = field(default_factory=list)
    #: Read every module from source: only a provider's info module is still imported.
    static: bool = False

    def config(self, config: EtlConfig) -> EtlConfig:
        if self.static:
            return dataclasses.replace(config, static_modules=["*"])
        failed = [p for f in self.failures for p in (f.module, f"{f.module}.*")]
        return dataclasses.replace(config, static_modules=[*config.static_modules, *failed])


@dataclass(frozen=True)
class _Failure:
    """A worker that ended without a record: the module it was reading, if it got to one."""

    module: str | None
    error: str
    line: int = 0
    #: It died or hung importing Airflow, before reading anything: so will every worker.
    starting: bool = False


@dataclass
class _Attempt:
    """A task in the pool, and when its status file last grew."""

    task: _Task
    status: Path
    progress: float = field(default_factory=time.monotonic)
    seen: int = 0

    def limit(self, timeout: float) -> float:
        """Seconds the worker may go on without announcing a module."""
        return timeout if self.seen else max(timeout, STARTUP_LIMIT)

    def stalled(self, timeout: float) -> bool:
        """Whether the worker wrote nothing for longer than its own watchdog allows."""
        size = self.status.stat().st_size
        if size != self.seen:
            self.seen, self.progress = size, time.monotonic()
        return time.monotonic() > self.progress + self.limit(timeout) + _GRACE

    def outcome(self, future: pebble.ProcessFuture[str], timeout: float) -> OwnerRecord | _Failure:
        """The record the worker sent, or where and why it failed."""
        text = self.status.read_text(encoding="utf-8", errors="replace")
        pid = _ready(text)
        limit = timeout if pid else max(timeout, STARTUP_LIMIT)
        try:
            message = json.loads(future.result())
        except concurrent.futures.CancelledError:  # stalled: the pool ends it now
            if pid and not _running(pid):  # it was gone already: the pool hears only of others
                return _failure(text, f"worker process died ({stacks.exit_text(0)})")
            return _failure(text, f"timed out after {limit:g} s")
        except pebble.ProcessExpired as exc:
            # faulthandler's watchdog starts the stack it writes with "Timeout (0:00:05)!".
            if any(line.startswith("Timeout (") for line in text.splitlines()):
                return _failure(text, f"timed out after {limit:g} s")
            return _failure(text, f"worker process died ({stacks.exit_text(exc.exitcode)})")
        except Exception as exc:  # the pool broke: read the rest here
            return _Failure(None, f"the worker pool failed ({exc})", starting=True)
        if "record" in message:
            return OwnerRecord.from_json(message["record"])
        return _failure(text, f"the worker raised {message['error']}", "reading")


def _ready(text: str) -> int:
    """The worker's process ID, once its status file ``text`` says it is ready (else 0)."""
    ready = [line[6:] for line in text.splitlines() if line.startswith("ready ")]
    return int(ready[0]) if ready and ready[0].isdigit() else 0


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process has the number now
        pass
    return True


def _failure(text: str, cause: str, doing: str = "importing") -> _Failure:
    """What a worker was doing when it failed, from its status file ``text``: the last module
    it announced, and the line of that module's file in the stack faulthandler wrote."""
    if not _ready(text):
        return _Failure(None, f"{cause} while starting (importing Airflow)", starting=True)
    modules = [line[7:] for line in text.splitlines() if line.startswith("module ")]
    if not modules:
        return _Failure(None, f"{cause} before it read a module")
    module = modules[-1]
    file = Path(module_file(module) or module).resolve()
    # faulthandler writes the innermost frame first.
    lines = stacks.lines_in(text, file)
    return _Failure(module, f"{cause} while {doing} it", lines[0] if lines else 0)


def read_records(owners: Sequence[Owner], config: EtlConfig) -> Iterator[tuple[Owner, OwnerRecord]]:
    """Read each owner in worker processes, ``etl_workers`` at a time; yield ``(owner,
    record)`` as each one is done, in the order they finish."""
    if not owners:
        return
    context = worker_context(owners, dags=config.imports_dags)
    limit = min(config.workers or os.cpu_count() or 1, len(owners))
    # Largest first: the longest owner must not start last, after the others are done.
    waiting = deque(_Task(owner) for owner in sorted(owners, key=collect.weight, reverse=True))
    running: dict[pebble.ProcessFuture[str], _Attempt] = {}
    #: Set once a worker could not start: every other would fail the same way.
    broken: _Failure | None = None
    names = itertools.count()
    # The pool starts its workers from a thread of its own, while it runs.
    with tempfile.TemporaryDirectory(prefix="etl-workers-") as folder, main_hidden():
        pool = pebble.ProcessPool(max_workers=limit, max_tasks=1, context=context)
        try:
            while waiting or running:
                while waiting and len(running) < limit:
                    task = waiting.popleft()
                    if broken is None:
                        status = Path(folder, str(next(names)))
                        status.touch()
                        args = (task.owner, task.config(config), dict(os.environ), str(status))
                        try:
                            running[pool.schedule(_work, args)] = _Attempt(task, status)
                            continue
                        except RuntimeError as exc:  # the pool broke
                            broken = _Failure(None, f"the worker pool failed ({exc})")
                    yield task.owner, _read_here(_failed(task, broken), config)
                done, _ = concurrent.futures.wait(
                    running, _POLL, concurrent.futures.FIRST_COMPLETED
                )
                for future, attempt in list(running.items()):
                    if future not in done and not attempt.stalled(config.import_timeout):
                        continue
                    future.cancel()  # ends a stalled worker
                    del running[future]
                    outcome = attempt.outcome(future, config.import_timeout)
                    if isinstance(outcome, _Failure) and outcome.starting:
                        broken = outcome
                    settled = _settle(attempt.task, outcome, config)
                    if isinstance(settled, _Task):
                        waiting.appendleft(settled)
                    else:
                        yield attempt.task.owner, settled
        finally:
            pool.stop()
            pool.join()


@contextlib.contextmanager
def main_hidden() -> Iterator[None]:
    """Keep multiprocessing from running the Sphinx process's main script again in the fork
    server and the workers, as it does to find functions defined there: a worker runs this
    module's code only, and a team's build script need not guard its ``__main__``."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def worker_context(owners: Sequence[Owner], *, dags: bool = False) -> Context:
    """The fork server where the platform has one, started (if it is not yet) with Airflow
    and the libraries the owners share imported (and, with ``dags``, Airflow's DAG parsing
    machinery), so that forking a worker is cheap; else spawn. Never fork: the Sphinx process
    has threads and state a worker must not inherit."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    distributions = [o.distribution for o in owners if o.distribution is not None]
    os.environ[_WARM_UP] = json.dumps({"distributions": distributions, "dags": dags})
    try:
        with main_hidden():
            forkserver.ensure_running()
            # A library that ends the fork server as it preloads leaves no server to fork
            # from: a first child says whether there is one, before a pool relies on it.
            first = context.Process(target=_started)
            first.start()
        first.join()
    except Exception:
        return multiprocessing.get_context("spawn")
    finally:
        os.environ.pop(_WARM_UP, None)
    return context


def _settle(task: _Task, outcome: OwnerRecord | _Failure, config: EtlConfig) -> OwnerRecord | _Task:
    """The owner's record, or the next attempt at it: again with the module that failed read
    from source; with every module from source (a provider's info module still imported); or,
    as the last resort, here, importing nothing."""
    if isinstance(outcome, OwnerRecord):
        return _with_failures(outcome, task)
    owner = task.owner
    failed = _failed(task, outcome)
    if outcome.starting:
        return _read_here(failed, config)
    info = None if owner.in_house or owner.core else collect.info_module(owner)
    new_module = outcome.module is not None and len(failed.failures) > len(task.failures)
    if (
        new_module
        and outcome.module != info
        and not task.static
        and len(failed.failures) < MAX_FAILED_ATTEMPTS
    ):
        return failed
    if info is not None and not task.static and outcome.module != info:
        return dataclasses.replace(failed, static=True)
    return _read_here(failed, config)


def _with_failures(record: OwnerRecord, task: _Task) -> OwnerRecord:
    """The record with the failures of the task's earlier attempts, and a note when they left
    it to be read from source as a whole."""
    problems = record.problems
    if task.static:
        message = (
            f"every module of {task.owner.name} was read statically from source, as its "
            f"worker processes failed {len(task.failures)} time(s)"
        )
        problems = (*problems, (message, task.failures[-1].location, "import"))
    failures = (*task.failures, *record.failures)
    return dataclasses.replace(record, failures=failures, problems=problems)


def _failed(task: _Task, failure: _Failure) -> _Task:
    """The task with the failure recorded, located at the module it names, else at the
    module that stands for the owner (a provider's info module, a package's ``__init__``)."""
    owner = task.owner
    module = failure.module or (
        owner.name if owner.in_house else CORE_PACKAGE if owner.core else collect.info_module(owner)
    )
    if module in {f.module for f in task.failures}:
        return task
    found = ImportFailure(module, failure.error, module_file(module) or "", failure.line)
    return dataclasses.replace(task, failures=[*task.failures, found])


def _read_here(task: _Task, config: EtlConfig) -> OwnerRecord:
    """Read an owner in this process without importing anything: every module from source,
    a provider's modules found by walking its package."""
    every = dataclasses.replace(config, static_modules=["*"])
    record = collect.read_owner(task.owner, every, provider_info=False)
    return _with_failures(record, dataclasses.replace(task, static=True))


if (_SHARED := os.environ.pop(_WARM_UP, None)) is not None:
    _warm_up()
    _WANTED = json.loads(_SHARED)
    preload.import_all(preload.shared_modules(_WANTED["distributions"]))
    if _WANTED["dags"]:
        # Imported here, not above: dag_import imports this module.
        importlib.import_module("sphinxext_etl.collect.dag_import").warm_up()
    # What the workers inherit stays out of their collections: walking it would cost time
    # and copy every page it touches.
    gc.freeze()
