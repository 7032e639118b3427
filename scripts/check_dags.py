"""Check that the extension reads DAG files exactly as Airflow does: every DAG that Airflow's
own ``DagBag`` loads from a folder must come out of ``etl_dag_parse = "import"`` with the same
task ids and the same edges, and be read from the file DagBag read it from.

Usage::

    python scripts/check_dags.py FOLDER [FOLDER ...] [--examples] [--static]

``--examples`` adds the example DAGs the installed Airflow ships (``airflow/example_dags``, and
the standard provider's where it is installed): real DAG files this project did not write. It
prints the counts (DAGs, tasks, edges) and every DAG that differs, and exits 1 if any does.
``--static`` also prints how the static scan (``etl_dag_parse = "static"``) fares on the same
files, for comparison; its figures never fail the check.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import logging
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sphinxext_etl.collect import dag_import
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model.dags import DagScan

#: ``dag_id -> (task ids, edges, file)``
Shape = dict[str, tuple[frozenset[str], frozenset[tuple[str, str]], str]]


def example_folders() -> list[Path]:
    """The example DAG folders the installed Airflow ships."""
    found = []
    for package in ("airflow.example_dags", "airflow.providers.standard.example_dags"):
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        found.append(Path(next(iter(module.__path__))))
    return found


def dagbag_shape(folder: Path) -> tuple[Shape, int]:
    """What Airflow's DagBag loads from ``folder``, and how many files it failed on."""
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:  # Airflow 2
        from airflow.models.dagbag import DagBag  # type: ignore[no-redef]
    takes = DagBag.__init__.__code__.co_varnames
    options = {"include_examples": False} if "include_examples" in takes else {}
    # DagBag logs every file it cannot import with its traceback: the counts say enough.
    with contextlib.redirect_stderr(io.StringIO()):
        logging.disable(logging.CRITICAL)
        try:
            bag = DagBag(dag_folder=str(folder), **options)
        finally:
            logging.disable(logging.NOTSET)
    shape = {
        dag_id: (
            frozenset(t.task_id for t in dag.tasks),
            frozenset((t.task_id, d) for t in dag.tasks for d in t.downstream_task_ids),
            str(Path(dag.fileloc).resolve()),
        )
        for dag_id, dag in bag.dags.items()
    }
    return shape, len(bag.import_errors)


def scan_shape(scan: DagScan) -> Shape:
    return {
        dag.dag_id: (
            frozenset(t.task_id for t in dag.tasks),
            frozenset((e.upstream, e.downstream) for e in dag.dependencies),
            str(Path(dag.file).resolve()),
        )
        for dag in scan.dags
    }


def compare(truth: Shape, found: Shape) -> list[str]:
    """One line per DAG of ``truth`` that ``found`` lacks or has otherwise."""
    problems = []
    for dag_id, (tasks, edges, file) in sorted(truth.items()):
        mine = found.get(dag_id)
        if mine is None:
            problems.append(f"  missing: {dag_id} ({file})")
        elif mine != (tasks, edges, file):
            what = [
                n
                for n, a, b in zip(
                    ("tasks", "edges", "file"), mine, (tasks, edges, file), strict=True
                )
                if a != b
            ]
            problems.append(f"  different: {dag_id}: {', '.join(what)}")
    return problems


def counts(shape: Shape) -> str:
    tasks = sum(len(t) for t, _, _ in shape.values())
    edges = sum(len(e) for _, e, _ in shape.values())
    return f"{len(shape)} DAGs, {tasks} tasks, {edges} edges"


def check(folders: Iterable[Path], static: bool) -> int:
    failed = 0
    for folder in folders:
        truth, errors = dagbag_shape(folder)
        scan, how = dag_import.scan([folder], EtlConfig())
        problems = compare(truth, scan_shape(scan))
        print(f"{folder}: DagBag {counts(truth)} ({errors} file(s) it cannot import)")
        print(
            f"  import mode: {len(truth) - len(problems)} of {len(truth)} DAGs exactly right "
            f"({how.imported} file(s) imported, {how.static} read statically)"
        )
        print(*problems, sep="\n") if problems else None
        failed += bool(problems)
        if static:
            static_scan, _ = dag_import.scan([folder], EtlConfig(dag_parse="static"))
            static_problems = compare(truth, scan_shape(static_scan))
            right = len(truth) - len(static_problems)
            print(f"  static mode: {right} of {len(truth)} DAGs exactly right")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--examples", action="store_true", help="add Airflow's example DAGs")
    parser.add_argument("--static", action="store_true", help="also report the static scan")
    args = parser.parse_args(argv)
    os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="check-dags-"))
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    folders = [*args.folders, *(example_folders() if args.examples else [])]
    if not folders:
        parser.error("name a folder, or --examples")
    return check(folders, args.static)


if __name__ == "__main__":
    sys.exit(main())
