"""DAG files read the way Airflow parses them: each imported by Airflow's own ``DagBag`` in a
worker process (never in the Sphinx process), so that DAGs made in loops and factories, task
groups, mapping and every edge come out exactly as Airflow sees them.

A file that fails to import, exits, crashes or hangs past ``etl_import_timeout`` is read
statically instead (:mod:`.dags`), with a located problem that says why. What a file gave is
cached by its path, size and modification time, so that a rebuild parses only the files that
changed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import re
import signal
from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sphinxext_etl.collect import dags, pool
from sphinxext_etl.collect.airflow import DagClasses, dag_classes
from sphinxext_etl.collect.dag_objects import Lines, dag_from_object
from sphinxext_etl.collect.dag_source import KnownPaths, catalog_path, index_paths
from sphinxext_etl.config import DAG_PARSE_STATIC, EtlConfig
from sphinxext_etl.model.dags import Dag, DagProblem, DagScan, FileScan, Task
from sphinxext_etl.model.json import from_json, to_json

#: Bump when what a worker sends for a file changes shape.
RESULT_VERSION = 1
#: A traceback's exception line, its class's module left out.
_RAISED = re.compile(r"^(?:[A-Za-z_][\w]*\.)*([A-Za-z_]\w*: .*)$", re.MULTILINE)


@dataclass(frozen=True)
class FileResult:
    """What parsing one file gave: its DAGs, or why it could not be imported."""

    dags: tuple[Dag, ...] = ()
    error: str = ""
    line: int = 0
    #: The worker died or hung: not kept in the cache, so the next build tries again.
    transient: bool = False


# --- in the worker ------------------------------------------------------------------------------

_LINES = Lines()


@functools.cache
def _bag() -> tuple[Any, DagClasses] | None:
    """A worker's DagBag, made before its first file: quiet (Airflow's own logging must not
    write into Sphinx's output), and the line of every DAG, task and task group noted as
    Airflow makes them."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    _keep_crashes_fatal()
    with contextlib.redirect_stdout(io.StringIO()):
        classes = dag_classes()
    if classes is None:
        return None
    _LINES.wrap(classes.dag, "__init__")
    _LINES.wrap(classes.dag, "add_task")
    _LINES.wrap(classes.task_group, "__init__")
    return classes.dag_bag(dag_folder=os.devnull, collect_dags=False), classes


def _keep_crashes_fatal() -> None:
    """Airflow 3's importer sets a Python handler for SIGSEGV before each file, which returns
    into the faulting code and spins until the timeout: in a worker, a crash must end the
    process at once, so that the pool reports it."""
    install = signal.signal

    def kept(signum: int, handler: Any) -> Any:
        if signum == signal.SIGSEGV:
            return signal.getsignal(signum)
        return install(signum, handler)

    signal.signal = kept  # type: ignore[assignment]


def parse_file(file: str, timeout: float, announce: Callable[[str], None]) -> dict[str, Any]:
    """One file's DAGs as JSON, or its import error (a worker's task)."""
    # Airflow's own timeout raises inside the file's code, which names the line it hung at;
    # the pool's watchdog ends a worker hung where a signal cannot reach (a C call).
    os.environ["AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT"] = f"{timeout:g}"
    os.environ["AIRFLOW__CORE__DAGBAG_IMPORT_ERROR_TRACEBACK_DEPTH"] = "100"
    if (made := _bag()) is None:
        return {"error": "this Airflow has no DagBag the extension knows"}
    bag, classes = made
    announce(file)
    _LINES.start(file)
    bag.import_errors.clear()
    found = bag.process_file(file, only_if_updated=False, safe_mode=True)
    if bag.import_errors:
        return _error(file, "\n".join(map(str, bag.import_errors.values())))
    module = classes.module_name(file)
    # A DAG both assigned at module level and made in a ``with`` block is found twice.
    unique = {dag.dag_id: dag for dag in reversed(found)}
    parsed = [to_json(dag_from_object(d, file, _LINES, module)) for d in reversed(unique.values())]
    bag.dags.clear()
    return {"dags": parsed}


def _error(file: str, text: str) -> dict[str, Any]:
    """An import error: the exception's first line (its class without its module), and the
    file's deepest line in the traceback."""
    # A traceback writes the innermost frame last.
    lines = pool.lines_in(text, file)
    raised = _RAISED.findall(text)
    error = raised[-1] if raised else text.strip().splitlines()[-1] if text.strip() else text
    return {"error": error, "line": lines[-1] if lines else 0}


# --- in the Sphinx process ----------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """How a scan's files were read, for the build's status line."""

    imported: int = 0
    cached: int = 0
    static: int = 0


def scan(
    paths: Iterable[Path | str],
    config: EtlConfig,
    known_paths: Collection[str] = (),
    cache: DagFileCache | None = None,
) -> tuple[DagScan, Counts]:
    """Every DAG of ``paths`` (folders walked recursively), as ``etl_dag_parse`` says: imported
    in workers, with a static fallback per file; or statically only."""
    files, known = dags.dag_files(paths), index_paths(known_paths)
    if config.dag_parse == DAG_PARSE_STATIC:
        return dags.scan(files, known_paths), Counts(static=len(files))
    files = [f for f in files if might_hold_dags(f)]
    results = dict(cache.load(files) if cache is not None else {})
    cached = len(results)
    missing = [f for f in files if f.as_posix() not in results]
    for file, result in parse_files(missing, config):
        results[file] = result
        if cache is not None:
            cache.store(Path(file), result)
    scanned = DagScan.gathered(_read(path, results[path.as_posix()], known) for path in files)
    failed = sum(1 for r in results.values() if r.error)
    return scanned, Counts(len(files) - cached - failed, cached, failed)


def might_hold_dags(file: Path) -> bool:
    """Airflow's own test before it imports a file (its "safe mode", on by default): both
    ``dag`` and ``airflow`` appear in it, in any case. A helper module beside the DAGs is not
    run, as Airflow would not run it."""
    try:
        content = file.read_bytes().lower()
    except OSError:
        return True  # the import will say what is wrong with it
    return b"dag" in content and b"airflow" in content


def _read(path: Path, result: FileResult, known: KnownPaths) -> FileScan:
    """A file's DAGs as Airflow gave them, their operators named as the catalog names them;
    or read statically where it could not be imported, with a problem that says why."""

    file = path.as_posix()

    def named(task: Task) -> Task:
        return replace(task, operator=catalog_path(task.operator, known)[0])

    if not result.error:
        return file, [replace(d, tasks=tuple(map(named, d.tasks))) for d in result.dags], []
    static, problems = dags.scan_file(path, known)
    why = (
        f"cannot import DAG file {path.name} as Airflow does ({result.error}); "
        "its DAGs were read statically from source"
    )
    return file, static, [DagProblem(file, result.line, why), *problems]


def parse_files(files: list[Path], config: EtlConfig) -> Iterable[tuple[str, FileResult]]:
    """``(file, result)`` for each file, imported in worker processes that go on from one file
    to the next: one that dies or hangs on a file is replaced, and only that file fails."""
    if not files:
        return
    results = pool.run(
        deque(f.as_posix() for f in files),
        lambda file: (parse_file, (file, config.import_timeout)),
        workers=min(config.workers or os.cpu_count() or 1, len(files)),
        timeout=config.import_timeout,
        # Airflow's own timeout first: it names the line the file hung at.
        late=5,
        fresh=False,
        dags=True,
    )
    for file, outcome in results:
        if not isinstance(outcome, pool.Failure):
            yield file, from_json(FileResult, outcome)
        elif outcome.raised:
            yield file, FileResult(error=outcome.cause)
        else:
            timed_out = outcome.cause.startswith("timed out")
            error = outcome.cause if timed_out else f"the {outcome.cause}"
            yield file, FileResult(error=error, transient=True)


@dataclass(frozen=True)
class DagFileCache:
    """What each DAG file gave, kept while its path and contents, the installed code (``key``)
    and the settings that change a parse stay the same (contents, not modification times: a
    CI checkout gives every file a new one)."""

    folder: Path
    key: str

    def _entry(self, file: Path) -> Path | None:
        try:
            contents = hashlib.sha1(file.read_bytes(), usedforsecurity=False).hexdigest()
        except OSError:
            return None
        text = f"{RESULT_VERSION}|{self.key}|{file.resolve()}|{contents}"
        name = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
        return self.folder / f"{name}.json"

    def load(self, files: Iterable[Path]) -> Iterable[tuple[str, FileResult]]:
        for file in files:
            entry = self._entry(file)
            try:
                data = json.loads(entry.read_text(encoding="utf-8")) if entry else None
            except (OSError, ValueError):
                continue
            if isinstance(data, dict):
                result = from_json(FileResult, data)
                dags = tuple(replace(d, file=file.as_posix()) for d in result.dags)
                yield file.as_posix(), replace(result, dags=dags)

    def store(self, file: Path, result: FileResult) -> None:
        entry = self._entry(file)
        if entry is None or result.transient:
            return
        data = to_json(result)
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(json.dumps(data), encoding="utf-8")
