"""The process pool that reads what the Sphinx process must never import: owners' modules
(:mod:`.workers`) and DAG files (:mod:`.dag_import`).

Tasks run in ``pebble`` pool workers forked from a fork server that imported Airflow (and the
libraries :mod:`.preload` names) once; spawned where there is none; never forked from the
Sphinx process, whose threads and state a worker must not inherit. Before a task imports a
module (or a DAG file) it writes the name to its status file and arms a faulthandler watchdog
that ends the worker, with its stack in that file, when the import takes too long. So a task
whose worker dies, hangs or raises comes back as a :class:`Failure`: why, the name it was at,
and the stack that holds the line.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
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
import re
import signal
import sys
import tempfile
import time
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import forkserver
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sphinxext_etl.collect import preload
from sphinxext_etl.collect.airflow import airflow_bases, dag_classes, ensure_airflow_home

if TYPE_CHECKING:
    from multiprocessing.context import ForkServerContext, SpawnContext

    import pebble

#: Seconds a worker may take to start, whatever the timeout (a spawned one imports Airflow).
STARTUP_LIMIT = 120.0
#: Longest wait between looks at the running tasks, in seconds.
_POLL = 1.0
#: Seconds past its own watchdog before the pool ends a worker that wrote nothing: one that
#: exited with code 0 (pebble does not report it) or whose watchdog could not fire.
_GRACE = 5.0
#: Set while the fork server starts: importing this module there warms it up.
_WARM_UP = "SPHINXEXT_ETL_WARM_UP_FORK_SERVER"
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)', re.MULTILINE)
#: Bound before any owner's module can patch :mod:`json`.
_dumps = json.dumps

Job = TypeVar("Job")
#: A task's work, called in a worker with its arguments and ``announce(name)``: JSON data.
Work = Callable[..., Any]


@dataclass(frozen=True)
class Failure:
    """A task that sent back no result."""

    #: ``worker process died (exit code 3)``, ``timed out after 5 s``, or what the task raised.
    cause: str
    #: The task raised ``cause`` (``KeyError: 'x'``); its worker lived.
    raised: bool = False
    #: What the worker wrote: ``ready <pid>``, ``module <name>`` lines, faulthandler's stacks.
    status: str = ""

    @property
    def started(self) -> bool:
        """Whether the worker got past importing Airflow (if one did not, none will)."""
        return _pid(self.status) > 0

    @property
    def module(self) -> str:
        """The last name the task announced ("" before the first)."""
        names = [line[7:] for line in self.status.splitlines() if line.startswith("module ")]
        return names[-1] if names else ""

    def line_in(self, file: str) -> int:
        """The innermost line of ``file`` in the stack faulthandler wrote (0 if none)."""
        return next(iter(lines_in(self.status, file)), 0)  # innermost frame first


def exit_text(code: int | None) -> str:
    """``exit code -11, SIGSEGV``: a dead process's exit code, with its signal's name."""
    if code is not None and code < 0 and -code in signal.valid_signals():
        return f"exit code {code}, {signal.Signals(-code).name}"
    return f"exit code {code}"


def lines_in(stack: str, file: Path | str) -> list[int]:
    """The lines of ``file`` that a stack (a traceback, or what faulthandler wrote) names,
    in the stack's order."""
    file = Path(file).resolve()
    return [int(m["line"]) for m in _FRAME.finditer(stack) if Path(m["file"]).resolve() == file]


# --- the fork server ----------------------------------------------------------------------------


def warm_up() -> None:
    """Import Airflow and resolve its base classes (``airflow_bases`` is cached): once in the
    fork server, so that every worker forked from it starts with them."""
    ensure_airflow_home()
    with contextlib.suppress(Exception), contextlib.redirect_stdout(io.StringIO()):
        airflow_bases()


def _context(distributions: Iterable[str], dags: bool) -> ForkServerContext | SpawnContext:
    """The fork server, started (unless it runs already) with Airflow, the libraries the
    owners' ``distributions`` share and, with ``dags``, Airflow's DAG parsing machinery
    imported; else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    os.environ[_WARM_UP] = json.dumps({"distributions": list(distributions), "dags": dags})
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


def _started() -> None:
    """The fork server's first child: that it starts at all is what counts."""


@contextlib.contextmanager
def main_hidden() -> Iterator[None]:
    """Keep multiprocessing from running the Sphinx process's main script again in the fork
    server and the workers, as it does to find functions defined there: a worker runs this
    package's code only, and a team's build script need not guard its ``__main__``."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


# --- in the worker ------------------------------------------------------------------------------


@functools.cache
def _isolate() -> None:
    """Make a worker, once, read as the Sphinx process would (its ``sys.path`` and folder
    come with multiprocessing, its environment with each task), silently."""
    importlib.invalidate_caches()
    # Modules that print when imported must not write into Sphinx's output.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        # A module that segfaults leaves no core file behind.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Once a result is sent, nothing a module left behind (a thread, a child process) may
    # keep the worker from exiting: the pool would wait for it.
    multiprocessing.util.Finalize(None, os._exit, args=(0,), exitpriority=100)
    warm_up()


def _task(
    work: Work, args: tuple[Any, ...], environ: dict[str, str], path: str, watchdog: float
) -> str:
    """Run ``work`` in a worker: what it returned, or what it raised, as JSON."""
    status = os.open(path, os.O_WRONLY | os.O_APPEND)
    faulthandler.enable(file=status, all_threads=True)
    faulthandler.dump_traceback_later(max(watchdog, STARTUP_LIMIT), exit=True, file=status)

    def announce(name: str) -> None:
        """Say what the task imports now, and give it ``watchdog`` seconds."""
        os.write(status, f"module {name}\n".encode())
        faulthandler.dump_traceback_later(watchdog, exit=True, file=status)

    try:
        os.environ.clear()
        os.environ.update(environ)
        _isolate()
        os.write(status, f"ready {os.getpid()}\n".encode())
        return _dumps({"value": work(*args, announce)})
    except BaseException as exc:  # whatever a module raises, the parent hears of it
        return _dumps({"raised": f"{type(exc).__name__}: {exc}"})
    finally:
        faulthandler.cancel_dump_traceback_later()
        faulthandler.disable()
        os.close(status)


# --- in the Sphinx process ----------------------------------------------------------------------


def run(
    waiting: deque[Job],
    call: Callable[[Job], tuple[Work, tuple[Any, ...]]],
    *,
    workers: int,
    timeout: float,
    late: float = 0.0,
    fresh: bool = True,
    preload_for: Iterable[str] = (),
    dags: bool = False,
) -> Iterator[tuple[Job, Any | Failure]]:
    """Run ``call(job)``'s work for each job of ``waiting``, ``workers`` at a time, each in a
    fresh worker (without ``fresh``, a worker goes on to the next job), and yield ``(job, what
    the work returned, or its Failure)`` as each ends; jobs the caller adds to ``waiting``
    meanwhile run too. A task may take ``timeout`` seconds (plus ``late``) per name it
    announces. The fork server preloads what the distributions ``preload_for`` share and,
    with ``dags``, Airflow's DAG parsing."""
    import pebble  # here: a build that runs no worker (a no-change rebuild) never loads it

    context = _context(preload_for, dags)
    watchdog = timeout + late
    running: dict[pebble.ProcessFuture[str], tuple[Job, Path]] = {}
    names = itertools.count()
    # The pool starts its workers from a thread of its own, while it runs.
    with tempfile.TemporaryDirectory(prefix="etl-workers-") as folder, main_hidden():
        pool = pebble.ProcessPool(max_workers=workers, max_tasks=int(fresh), context=context)
        try:
            while waiting or running:
                while waiting and len(running) < workers:
                    job = waiting.popleft()
                    status = Path(folder, str(next(names)))
                    status.touch()
                    work, args = call(job)
                    task = (work, args, dict(os.environ), str(status), watchdog)
                    try:
                        running[pool.schedule(_task, task)] = job, status
                    except RuntimeError as exc:  # the pool broke
                        yield job, Failure(f"the worker pool failed ({exc})")
                concurrent.futures.wait(running, _POLL, concurrent.futures.FIRST_COMPLETED)
                for future, (job, status) in list(running.items()):
                    if future.done() or _stalled(status, watchdog):
                        future.cancel()  # ends a stalled worker
                        del running[future]
                        yield job, _outcome(future, status, timeout)
        finally:
            pool.stop()
            pool.join()


def _stalled(status: Path, watchdog: float) -> bool:
    """Whether the worker wrote nothing to its status file for longer than its own watchdog
    allows (to start, ``STARTUP_LIMIT``)."""
    stat = status.stat()
    limit = watchdog if stat.st_size else max(watchdog, STARTUP_LIMIT)
    return time.time() > stat.st_mtime + limit + _GRACE


def _outcome(future: pebble.ProcessFuture[str], status: Path, timeout: float) -> Any | Failure:
    """What the task's work returned, or why it did not."""
    import pebble

    text = status.read_text(encoding="utf-8", errors="replace")
    pid = _pid(text)
    late = f"timed out after {timeout if pid else max(timeout, STARTUP_LIMIT):g} s"
    try:
        message = json.loads(future.result())
    except concurrent.futures.CancelledError:  # stalled: the pool ends it now
        if pid and not _running(pid):  # gone already: the pool hears only of others
            return Failure(f"worker process died ({exit_text(0)})", status=text)
        return Failure(late, status=text)
    except pebble.ProcessExpired as exc:
        # faulthandler's watchdog starts the stack it writes with "Timeout (0:00:05)!".
        if "Timeout (" in text:
            return Failure(late, status=text)
        return Failure(f"worker process died ({exit_text(exc.exitcode)})", status=text)
    except Exception as exc:  # the pool broke
        return Failure(f"the worker pool failed ({exc})")
    if "raised" in message:
        return Failure(message["raised"], raised=True, status=text)
    return message["value"]


def _pid(status: str) -> int:
    """The worker's process ID, once its status file says it is ready (else 0)."""
    first = status.partition("\n")[0]
    return int(first[6:]) if first.startswith("ready ") and first[6:].isdigit() else 0


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process has the number now
        pass
    return True


if (_WANTED := os.environ.pop(_WARM_UP, None)) is not None:
    import pebble  # (the workers' side of the pool, loaded once for all of them)

    warm_up()
    preload.import_all(preload.shared_modules(json.loads(_WANTED)["distributions"]))
    if json.loads(_WANTED)["dags"]:
        # Making a DagBag imports most of what parsing a DAG file needs.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
            if (classes := dag_classes()) is not None:
                classes.dag_bag(dag_folder=os.devnull, collect_dags=False)
    # What the workers inherit stays out of their collections: walking it would cost time
    # and copy every page it touches.
    gc.freeze()
