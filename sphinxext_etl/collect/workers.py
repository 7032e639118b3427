"""Reading owners in worker processes: the Sphinx process never imports their modules.

Each owner is read by :func:`sphinxext_etl.collect.read_owner` in a process of its own, forked
from a fork server that imported Airflow once (spawned where there is none), so whatever its
modules do when imported (exit, crash, hang, patch globals) reaches neither the build nor
another owner. A worker announces each module in a status file; when it dies or stops making
progress, that module gets an ``etl.import`` failure and a new worker reads the owner again,
with that module read from source.
"""

from __future__ import annotations

import contextlib
import dataclasses
import faulthandler
import functools
import gc
import importlib
import io
import json
import multiprocessing
import os
import signal
import sys
import tempfile
import time
import types
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing import connection, forkserver
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
#: Seconds a hung worker gets to write its stack before it is killed.
_STACK_WAIT = 1.0
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


def _isolate(environ: dict[str, str], status: int) -> None:
    """Make a fresh worker read as the Sphinx process would have (its environment; its
    ``sys.path`` and folder come with multiprocessing), silently, and record its stack in the
    status file if it crashes or its parent asks (a hang)."""
    os.environ.clear()
    os.environ.update(environ)
    importlib.invalidate_caches()
    # Modules that print when imported must not write into Sphinx's output.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    faulthandler.enable(file=status, all_threads=True)
    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, file=status, all_threads=True)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        # A module that segfaults leaves no core file behind.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _warm_up()


def _announce(status: int, module: str) -> None:
    """Tell the parent which module the worker reads now (before it imports it)."""
    os.write(status, f"module {module}\n".encode())


def _work(
    owner: Owner,
    config: EtlConfig,
    environ: dict[str, str],
    status_path: str,
    results: connection.Connection,
) -> None:
    """A worker's whole life: read one owner, send its record as JSON, exit at once (so no
    ``atexit`` handler or thread an owner's module left behind can hold it)."""
    status = os.open(status_path, os.O_WRONLY | os.O_APPEND)
    try:
        _isolate(environ, status)
        os.write(status, b"ready\n")
        record = collect.read_owner(owner, config, functools.partial(_announce, status))
        message: dict[str, Any] = {"record": record.to_json()}
    except BaseException as exc:  # whatever an owner's module raises, the parent hears of it
        message = {"error": f"{type(exc).__name__}: {exc}"}
    try:
        results.send_bytes(_dumps(message).encode())
    finally:
        os._exit(0)


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
class _Worker:
    task: _Task
    process: BaseProcess
    results: connection.Connection
    status: Path
    #: When the status file last grew (or the worker started), and its size then.
    progress: float
    seen: int = 0

    def allowed(self, timeout: float) -> float:
        """Seconds the worker may go on without announcing a module."""
        return timeout if self.seen else max(timeout, STARTUP_LIMIT)

    def outcome(self, timeout: float) -> OwnerRecord | _Failure | None:
        """The record or failure, or None while the worker is still reading."""
        if self.results.poll():
            try:
                message = json.loads(self.results.recv_bytes())
            except (EOFError, OSError, ValueError):
                return self._died()
            self.stop()
            if "record" in message:
                return OwnerRecord.from_json(message["record"])
            return self._failure(f"the worker raised {message['error']}", "reading")
        if self.process.exitcode is not None:
            return self._died()
        size = self.status.stat().st_size
        if size != self.seen:
            self.seen, self.progress = size, time.monotonic()
        if time.monotonic() < self.progress + self.allowed(timeout):
            return None
        self._dump_stack()
        self.stop(kill=True)
        return self._failure(f"timed out after {self.allowed(timeout):g} s")

    def stop(self, *, kill: bool = False) -> None:
        """Wait for the worker to exit (it does once it has sent its record), or end it."""
        if not kill:
            self.process.join(1.0)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.results.close()

    def _died(self) -> _Failure:
        self.process.join()
        return self._failure(
            f"worker process died ({stacks.exit_text(self.process.exitcode or 0)})"
        )

    def _failure(self, cause: str, doing: str = "importing") -> _Failure:
        """What the worker was doing when it failed: the last module it announced, and the
        line of that module's file in the stack faulthandler wrote (a crash or a hang)."""
        text = self.status.read_text(encoding="utf-8", errors="replace")
        if "ready" not in text.splitlines():
            return _Failure(None, f"{cause} while starting (importing Airflow)", starting=True)
        modules = [line[7:] for line in text.splitlines() if line.startswith("module ")]
        if not modules:
            return _Failure(None, f"{cause} before it read a module")
        module = modules[-1]
        file = Path(module_file(module) or module).resolve()
        # faulthandler writes the innermost frame first.
        lines = stacks.lines_in(text, file)
        return _Failure(module, f"{cause} while {doing} it", lines[0] if lines else 0)

    def _dump_stack(self) -> None:
        """Ask a hung worker for its stack (faulthandler writes it to the status file)."""
        if not hasattr(signal, "SIGUSR1") or self.process.pid is None:
            return
        size = self.status.stat().st_size
        with contextlib.suppress(OSError):
            os.kill(self.process.pid, signal.SIGUSR1)
        until = time.monotonic() + _STACK_WAIT
        while self.status.stat().st_size == size and time.monotonic() < until:
            time.sleep(0.05)
        time.sleep(0.05)  # the rest of the stack, after its first bytes


def read_records(owners: Sequence[Owner], config: EtlConfig) -> Iterator[tuple[Owner, OwnerRecord]]:
    """Read each owner in worker processes, ``etl_workers`` at a time; yield ``(owner,
    record)`` as each one is done, in the order they finish."""
    if not owners:
        return
    context = worker_context(owners, dags=config.imports_dags)
    limit = config.workers or os.cpu_count() or 1
    # Largest first: the longest owner must not start last, after the others are done.
    waiting = deque(_Task(owner) for owner in sorted(owners, key=collect.weight, reverse=True))
    running: list[_Worker] = []
    #: Set once a worker could not start: every other would fail the same way.
    broken: _Failure | None = None
    with tempfile.TemporaryDirectory(prefix="etl-workers-") as folder:
        try:
            while waiting or running:
                while waiting and len(running) < limit:
                    task = waiting.popleft()
                    if broken is not None:
                        yield task.owner, _read_here(_failed(task, broken), config)
                        continue
                    status = Path(folder, f"{len(os.listdir(folder))}")
                    try:
                        running.append(_start(context, task, config, status))
                    except Exception as exc:
                        if context.get_start_method() != "spawn":
                            # The fork server died (warming up?): a spawned worker will say why.
                            context = multiprocessing.get_context("spawn")
                            waiting.appendleft(task)
                            continue
                        broken = _Failure(None, f"no worker process could start ({exc})")
                        waiting.appendleft(task)
                if not running:
                    continue
                soonest = min(w.progress + w.allowed(config.import_timeout) for w in running)
                connection.wait(
                    [*(w.results for w in running), *(w.process.sentinel for w in running)],
                    min(max(soonest - time.monotonic(), 0.0), _POLL),
                )
                for worker in list(running):
                    outcome = worker.outcome(config.import_timeout)
                    if outcome is None:
                        continue
                    running.remove(worker)
                    if isinstance(outcome, _Failure) and outcome.starting:
                        broken = outcome
                    settled = _settle(worker.task, outcome, config)
                    if isinstance(settled, _Task):
                        waiting.appendleft(settled)
                    else:
                        yield worker.task.owner, settled
        finally:
            for worker in running:
                worker.stop(kill=True)


def _start(context: Context, task: _Task, config: EtlConfig, status: Path) -> _Worker:
    status.touch()
    results, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_work,
        args=(task.owner, task.config(config), dict(os.environ), str(status), sender),
        # Not a daemon: a module may start processes of its own when imported.
        name=f"etl-read-{task.owner.name}",
    )
    try:
        with main_hidden():
            process.start()
    finally:
        sender.close()
    return _Worker(task, process, results, status, progress=time.monotonic())


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
