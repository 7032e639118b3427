"""Benchmark: DAG files parsed as Airflow parses them, at platform scale (issue 25).

The corpus is ``--copies`` copies (by default enough for 1,000 DAG files) of DAG files this
project did not write: the example DAGs shipped inside the installed Airflow
(``airflow.example_dags``) and standard provider (``airflow.providers.standard.example_dags``),
each copy in a folder of its own with the support folders the examples import or read
(``libs/``, ``plugins/``, ``sql/``). Each copy's DAG ids are made unique: every string literal
equal to one of the original's DAG ids (``dag_id="x"``, ``DAG("x")``, ``trigger_dag_id=...``,
a constant the id is read from), and every function decorated with ``@dag`` or ``@asset`` (whose
name is its DAG's id) with its uses, get a per-copy suffix; line numbers are kept. The corpus
is then checked by loading it with ``DagBag`` once: it must hold copies x the originals' DAGs.

Measured, each step a fresh subprocess, interleaved over ``--rounds`` rounds (a b c d a b c d
...):

* **a dagbag**: ``DagBag(dag_folder=corpus)`` alone in one process: what Airflow itself needs;
* **b import**: ``dag_import.scan([corpus], EtlConfig(workers=--workers))``: the extension, as
  Airflow parses (``-j auto`` by default: a worker per core);
* **c static**: the same with ``EtlConfig(dag_parse="static")``, for reference;
* **d warm**: **b** again with a ``DagFileCache`` that an untimed run filled, nothing changed:
  it must parse no file.

Wall seconds (median, min, max), ``b / a`` per round and its median (the target is <= 1.0x), and
the peak summed PSS of each step's process tree (``measure.py``). Exactness: the (dag id, task
ids, edges, file) of every DAG ``DagBag`` loads, against what **b** gives. Writes ``OUT.txt``
and ``OUT.json`` (default ``benchmarks/results/<date>-dags``) and prints the text. Usage::

    AIRFLOW_HOME=/tmp/afh-bench AIRFLOW__CORE__LOAD_EXAMPLES=False \\
        .venv/bin/python benchmarks/bench_dags.py --rounds 3
"""

from __future__ import annotations

import argparse
import ast
import datetime
import importlib
import importlib.util
import json
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import bench_scale
import measure

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
SCHEMA = 1
#: The example DAG packages copied into the corpus: a folder name in each copy, the package.
SOURCES = (
    ("core", "airflow.example_dags"),
    ("standard", "airflow.providers.standard.example_dags"),
)
TARGET_FILES = 1000
#: The b / a target: the extension parses no slower than Airflow does.
TARGET_RATIO = 1.0
#: What is measured, in the order each round runs them.
STEPS = {
    "a dagbag": "DagBag(dag_folder=corpus), one process",
    "b import": "dag_import.scan, dag_parse='import'",
    "c static": "dag_import.scan, dag_parse='static'",
    "d warm": "dag_import.scan, dag_parse='import', DagFileCache filled",
}
MANIFEST = "corpus.json"


# --- the steps, each run in a fresh process (``bench_dags.py step ...``) --------------------------


def dag_bag_class() -> type:
    """Airflow's ``DagBag``: Airflow 3's place first, where Airflow 2 kept it second."""
    for module in ("airflow.dag_processing.dagbag", "airflow.models.dagbag"):
        try:
            return importlib.import_module(module).DagBag  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            continue
    raise SystemExit("this Airflow has no DagBag")


def bag_signatures(bag: Any, folder: Path) -> dict[str, Any]:
    """Each DAG of a loaded ``DagBag``: its file (relative to ``folder``), task ids and edges."""
    return {
        dag.dag_id: {
            "file": relative(dag.fileloc, folder),
            "tasks": sorted(dag.task_ids),
            "edges": sorted([t.task_id, d] for t in dag.tasks for d in t.downstream_task_ids),
        }
        for dag in bag.dags.values()
    }


def scan_signatures(found: Any, folder: Path) -> dict[str, Any]:
    """The same for a ``DagScan``, with how each DAG was read; ids seen twice are listed."""
    signatures: dict[str, Any] = {}
    for dag in found.dags:
        signatures.setdefault(dag.dag_id, []).append(
            {
                "file": relative(dag.file, folder),
                "tasks": sorted(t.task_id for t in dag.tasks),
                "edges": sorted([d.upstream, d.downstream] for d in dag.dependencies),
                "parsed": str(getattr(dag.parsed, "value", dag.parsed)),
            }
        )
    return signatures


def relative(file: str, folder: Path) -> str:
    try:
        return Path(file).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return file


def last_line(text: Any) -> str:
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def step_dagbag(args: argparse.Namespace) -> dict[str, Any]:
    """``DagBag(dag_folder=corpus)``, as Airflow's own parsing does it."""
    started = time.perf_counter()
    bag_class = dag_bag_class()
    imported = time.perf_counter()
    bag = bag_class(dag_folder=str(args.corpus))
    parsed = time.perf_counter()
    stats = list(getattr(bag, "dagbag_stats", []))
    summary: dict[str, Any] = {
        "import_seconds": round(imported - started, 3),
        "parse_seconds": round(parsed - imported, 3),
        "dags": len(bag.dags),
        "files": len(stats),
        "files_without_dags": sum(1 for s in stats if not s.dag_num),
        "import_errors": len(bag.import_errors),
    }
    if args.dump:
        summary["signatures"] = bag_signatures(bag, args.corpus)
        summary["errors"] = {
            relative(f, args.corpus): last_line(e) for f, e in bag.import_errors.items()
        }
        summary["files_listed"] = sorted(s.file for s in stats)
    return summary


def step_scan(args: argparse.Namespace) -> dict[str, Any]:
    """``dag_import.scan`` as the extension runs it, timed from inside: importing it, the time
    to the pool's first result, the parse until its last, and what ``scan`` did after it."""
    started = time.perf_counter()
    from sphinxext_etl.collect import dag_import
    from sphinxext_etl.config import EtlConfig

    imported = time.perf_counter()
    files_parsed: list[float] = []
    parse_files = dag_import.parse_files

    def counted(files: list[Path], config: Any) -> Iterator[tuple[str, Any]]:
        for item in parse_files(files, config):
            files_parsed.append(time.perf_counter())
            yield item

    dag_import.parse_files = counted
    cache = None
    if args.cache is not None:
        cache = dag_import.DagFileCache(args.cache, "bench_dags")
    config = EtlConfig(dag_parse=args.mode, workers=args.workers)
    scanned = dag_import.scan([args.corpus], config, cache=cache)
    done = time.perf_counter()
    # scan gives (DagScan, Counts) since the build's status line counts how files were read.
    found, counts = scanned if isinstance(scanned, tuple) else (scanned, None)
    fallback = [p for p in found.problems if p.message.startswith("cannot import DAG file")]
    parsed = Counter(str(getattr(d.parsed, "value", d.parsed)) for d in found.dags)
    summary: dict[str, Any] = {
        "import_seconds": round(imported - started, 3),
        "parse_seconds": round(done - imported, 3),
        "dags": len(found.dags),
        "dag_ids": len({d.dag_id for d in found.dags}),
        "parsed": dict(parsed),
        "files": len(found.unresolved),
        "files_parsed": len(files_parsed),
        "static_fallback_files": len(fallback),
        "problems": len(found.problems),
    }
    if counts is not None:
        summary["counts"] = asdict(counts)
    if files_parsed:
        summary["first_result_seconds"] = round(files_parsed[0] - imported, 3)
        summary["last_result_seconds"] = round(files_parsed[-1] - imported, 3)
    if args.dump:
        summary["signatures"] = scan_signatures(found, args.corpus)
        summary["files_read"] = sorted(relative(f, args.corpus) for f, _ in found.unresolved)
        summary["fallback"] = [
            {"file": relative(p.file, args.corpus), "message": p.message[:300]} for p in fallback
        ]
    return summary


def step_originals(args: argparse.Namespace) -> dict[str, Any]:
    """Where the example packages are, and the DAG ids of each of their files (``DagBag``)."""
    bag_class = dag_bag_class()
    found: dict[str, Any] = {}
    for name, package in SOURCES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            found[name] = {"package": package, "missing": True}
            continue
        folder = Path(next(iter(spec.submodule_search_locations)))
        bag = bag_class(dag_folder=str(folder))
        ids: dict[str, list[str]] = {}
        for dag in bag.dags.values():
            ids.setdefault(relative(dag.fileloc, folder), []).append(dag.dag_id)
        found[name] = {
            "package": package,
            "path": str(folder),
            "dag_ids": ids,
            "files_listed": sorted(s.file for s in getattr(bag, "dagbag_stats", [])),
            "import_errors": {
                relative(f, folder): last_line(e) for f, e in bag.import_errors.items()
            },
        }
    return found


def run_step(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_dags.py step")
    parser.add_argument("name", choices=["dagbag", "scan", "originals"])
    parser.add_argument("output", type=Path)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--mode", default="import")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--dump", action="store_true")
    args = parser.parse_args(argv)
    if args.corpus is not None:
        args.corpus = args.corpus.resolve()
    steps: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
        "dagbag": step_dagbag,
        "scan": step_scan,
        "originals": step_originals,
    }
    summary = steps[args.name](args)
    args.output.write_text(json.dumps(summary), encoding="utf-8")
    print(
        f"[bench-dags] {args.name}: "
        + json.dumps({k: v for k, v in summary.items() if not isinstance(v, (dict, list))})
    )


# --- the corpus -----------------------------------------------------------------------------------


def decorator_name(node: ast.expr) -> str:
    """``dag`` for ``@dag``, ``@dag(...)``; ``asset.multi`` for ``@asset.multi(...)``."""
    # Imported here, in the parent only: at the top it would load the extension (and Sphinx)
    # into every measured step, DagBag's too, before its clock starts.
    from sphinxext_etl.collect.ast_facts import attribute_chain

    return attribute_chain(node.func if isinstance(node, ast.Call) else node) or ""


def makes_dag(decorator: ast.expr) -> bool:
    """A decorator whose function's name is a DAG id: ``@dag``, ``@asset``, ``@asset.multi``."""
    name = decorator_name(decorator)
    return name in {"dag", "asset", "asset.multi"} or name.endswith((".dag", ".asset"))


def rename_dags(source: str, dag_ids: Collection[str], suffix: str) -> str:
    """``source`` with ``suffix`` after each DAG id: string literals equal to one, and the
    functions whose names make one (with their uses, and parameters of that name). Edits stay
    within their lines."""
    tree = ast.parse(source)
    functions = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and any(makes_dag(d) for d in node.decorator_list)
    }
    names = set(dag_ids) | functions
    # Positions of constants inside f-strings are not reliable on Python < 3.12.
    in_fstrings = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for inner in ast.walk(node)
    }
    lines = source.encode("utf-8").splitlines(keepends=True)
    edits: list[tuple[int, int, int, str]] = []  # line (0-based), start, end (bytes), new text
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value in names
            and id(node) not in in_fstrings
            and node.lineno == node.end_lineno
        ):
            new = json.dumps(node.value + suffix)
            edits.append((node.lineno - 1, node.col_offset, node.end_col_offset or 0, new))
        elif isinstance(node, ast.Name) and node.id in functions:
            edits.append(
                (node.lineno - 1, node.col_offset, node.end_col_offset or 0, node.id + suffix)
            )
        elif isinstance(node, ast.arg) and node.arg in functions:
            # An @asset function's parameter named after another asset is that asset.
            end = node.col_offset + len(node.arg.encode())
            edits.append((node.lineno - 1, node.col_offset, end, node.arg + suffix))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in functions:
            line = lines[node.lineno - 1]
            start = line.index(b"def ", node.col_offset) + 4
            start += len(line[start:]) - len(line[start:].lstrip())
            edits.append(
                (node.lineno - 1, start, start + len(node.name.encode()), node.name + suffix)
            )
    for line_no, start, end, new in sorted(edits, reverse=True):
        line = lines[line_no]
        lines[line_no] = line[:start] + new.encode("utf-8") + line[end:]
    renamed = b"".join(lines).decode("utf-8")
    ast.parse(renamed)  # a bad edit is a bug here, not a file the benchmark should measure
    return renamed


def originals_files(folder: Path) -> list[Path]:
    """The files copied from an example package: all but bytecode and its own ``__init__.py``
    (a DAG folder is no package)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix not in {".pyc", ".pyo"}
        and p.relative_to(folder).as_posix() != "__init__.py"
    )


def build_corpus(corpus: Path, copies: int, originals: dict[str, Any]) -> dict[str, Any]:
    """``copies`` copies of the example packages under ``corpus``, DAG ids made unique: the
    DAG files renamed and their ids rewritten (:func:`rename_dags`) with a suffix per copy."""
    corpus.mkdir(parents=True, exist_ok=True)
    sources: dict[str, Any] = {}
    for name, found in originals.items():
        if found.get("missing"):
            continue
        folder = Path(found["path"])
        files = originals_files(folder)
        ids = [i for dag_ids in found["dag_ids"].values() for i in dag_ids]
        sources[name] = {
            "package": found["package"],
            "path": found["path"],
            "dag_files": sum(1 for f in files if f.suffix == ".py" and f.parent == folder),
            "support_files": [
                f.relative_to(folder).as_posix()
                for f in files
                if not (f.suffix == ".py" and f.parent == folder)
            ],
            "dags": len(ids),
            "files_with_dags": len(found["dag_ids"]),
            "listed_by_dagbag": len(found["files_listed"]),
            "no_dags": sorted(
                set(found["files_listed"]) - set(found["dag_ids"]) - set(found["import_errors"])
            ),
            "import_errors": found["import_errors"],
        }
        for copy in range(copies):
            suffix = f"__c{copy:03d}"
            target = corpus / f"c{copy:03d}" / name
            for file in files:
                destination = target / file.relative_to(folder)
                if file.suffix == ".py" and file.parent == folder:
                    # Some DAG ids are their file's name (``dag_id=Path(__file__).stem``).
                    destination = destination.with_stem(file.stem + suffix)
                destination.parent.mkdir(parents=True, exist_ok=True)
                if file.suffix == ".py":
                    text = file.read_text(encoding="utf-8")
                    destination.write_text(rename_dags(text, ids, suffix), encoding="utf-8")
                else:
                    shutil.copyfile(file, destination)
    manifest = {
        "copies": copies,
        "sources": sources,
        "dag_files": copies * sum(s["dag_files"] for s in sources.values()),
        "py_files": sum(1 for _ in corpus.rglob("*.py")),
        "expected_dags": copies * sum(s["dags"] for s in sources.values()),
        "built": now(),
    }
    (corpus / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


# --- measuring ------------------------------------------------------------------------------------


def step_command(name: str, output: Path, *extra: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "step", name, str(output), *extra]


def commands(corpus: Path, work: Path, workers: int) -> dict[str, Callable[[Path], list[str]]]:
    """The command of each measured step, given where it writes its summary."""
    scan = ["--corpus", str(corpus), "--workers", str(workers)]
    return {
        "a dagbag": lambda out: step_command("dagbag", out, "--corpus", str(corpus)),
        "b import": lambda out: step_command("scan", out, *scan),
        "c static": lambda out: step_command("scan", out, *scan, "--mode", "static"),
        "d warm": lambda out: step_command("scan", out, *scan, "--cache", str(work / "cache")),
    }


def site_command(corpus: Path, work: Path) -> list[str]:
    """A cold ``sphinx-build -j auto`` of a site with the corpus's DAG pages (and the standard
    provider, whose operators they use): the whole build, not only the parse."""
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    (site / "conf.py").write_text(
        "extensions = ['sphinxext_etl']\n"
        "etl_providers = ['apache-airflow-providers-standard']\n"
        f"etl_dag_folders = [{str(corpus)!r}]\n"
        "exclude_patterns = ['_build']\n",
        encoding="utf-8",
    )
    (site / "index.rst").write_text(
        "DAGs at scale\n=============\n\n.. toctree::\n\n   reference/index\n", encoding="utf-8"
    )
    sphinx = str(Path(sys.executable).with_name("sphinx-build"))
    return [sphinx, "-q", "-j", "auto", "-b", "html", str(site), str(site / "_build" / "html")]


class CpuWatch(threading.Thread):
    """The CPU seconds (user + system) of every process descended from this one, as last
    sampled: on a shared machine, what a step costs whatever the other load left it of the
    cores. A process's last ``interval`` before it exits is missed; none is short-lived here."""

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.seconds: dict[int, float] = {}
        self._stopped = threading.Event()
        self._tick = os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self._stopped.is_set():
            for pid in measure.process_tree(os.getpid())[1:]:
                try:
                    with open(f"/proc/{pid}/stat", "rb") as stat:
                        text = stat.read()
                except OSError:
                    continue
                fields = text[text.rfind(b")") + 2 :].split()
                # utime and stime: fields 14 and 15 of stat, 12 and 13 after the state.
                self.seconds[pid] = (int(fields[11]) + int(fields[12])) / self._tick
            self._stopped.wait(self.interval)

    def stop(self) -> float:
        self._stopped.set()
        self.join()
        return round(sum(self.seconds.values()), 2)


def measured(command: list[str], log: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    """One step, run and measured (``measure.run``, and :class:`CpuWatch`), with the summary
    it wrote."""
    output = log.with_suffix(".json")
    output.unlink(missing_ok=True)
    before = bench_scale.load()
    watch = CpuWatch()
    watch.start()
    try:
        result = measure.run(command, log=log, cwd=work, env=env)
    finally:
        cpu = watch.stop()
    record: dict[str, Any] = {
        "command": shlex.join(command),
        **asdict(result),
        "cpu_seconds": cpu,
        "processes_seen": len(watch.seconds),
        "load_before": before,
    }
    try:
        record["summary"] = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record["summary"] = {}
    if result.exit_code:
        record["log_tail"] = log.read_text(encoding="utf-8", errors="replace")[-2500:]
    return record


def compare(dagbag: dict[str, Any], scanned: dict[str, Any]) -> dict[str, Any]:
    """What the extension gave against DagBag's DAGs: equal, missing, different, extra."""
    equal, missing, different = 0, [], []
    static_equal = 0
    for dag_id, expected in dagbag.items():
        found = scanned.get(dag_id)
        if not found:
            missing.append(dag_id)
            continue
        got = found[0]
        parts = [k for k in ("file", "tasks", "edges") if got[k] != expected[k]]
        if len(found) > 1:
            parts.append(f"given {len(found)} times")
        if parts:
            different.append({"dag_id": dag_id, "differs in": parts})
        else:
            equal += 1
            static_equal += got.get("parsed") == "static"
    return {
        "dagbag_dags": len(dagbag),
        "scan_dags": sum(len(v) for v in scanned.values()),
        "equal": equal,
        "equal_read_statically": static_equal,
        "missing": missing,
        "different": different,
        "extra": sorted(set(scanned) - set(dagbag)),
    }


def stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def warm_up(env: dict[str, str], work: Path) -> None:
    """Bytecode for the venv and the extension (uv installs none, and PYTHONDONTWRITEBYTECODE
    keeps imports from writing it), as ``bench_scale.warm_up`` does. The DAG files themselves
    stay source, as in a fresh checkout: every step compiles them (see ``main``)."""
    folders = [sysconfig.get_paths()["purelib"], str(REPO / "sphinxext_etl")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *folders],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )


def run(args: argparse.Namespace, work: Path, env: dict[str, str]) -> dict[str, Any]:
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "machine": bench_scale.machine(),
        "versions": bench_scale.versions(sys.executable),
        "code": bench_scale.code_description(None),
        "command": shlex.join([Path(sys.executable).name, *sys.argv]),
        "airflow_home": env["AIRFLOW_HOME"],
        "started": now(),
        "load_at_start": bench_scale.load(),
        "workers": args.workers,
        "cpus": os.cpu_count(),
    }
    if args.warm_up:
        print("[bench-dags] warm-up: compiling the venv and the extension", flush=True)
        warm_up(env, work)

    corpus = (args.corpus or work / "corpus").resolve()
    if (corpus / MANIFEST).exists():
        manifest = json.loads((corpus / MANIFEST).read_text(encoding="utf-8"))
        print(f"[bench-dags] reusing the corpus in {corpus}", flush=True)
    else:
        print("[bench-dags] reading the example DAGs' ids (DagBag)", flush=True)
        originals = measured(
            step_command("originals", logs / "originals.json"), logs / "originals.log", work, env
        )
        if originals["exit_code"]:
            raise SystemExit("reading the example DAGs failed:\n" + originals["log_tail"])
        copies = args.copies
        if copies is None:
            per_copy = sum(
                sum(
                    1
                    for f in originals_files(Path(o["path"]))
                    if f.suffix == ".py" and f.parent == Path(o["path"])
                )
                for o in originals["summary"].values()
                if not o.get("missing")
            )
            copies = math.ceil(TARGET_FILES / per_copy)
        print(f"[bench-dags] building the corpus: {copies} copies in {corpus}", flush=True)
        manifest = build_corpus(corpus, copies, originals["summary"])
    report["corpus"] = {"path": str(corpus), **manifest}
    steps = commands(corpus, work, args.workers)

    # Untimed: the check of the corpus and the exactness reference (a with every DAG), b with
    # the same, filling the cache d reads, and c; each also warms the page cache.
    print("[bench-dags] checking the corpus and exactness (untimed)", flush=True)
    checks: dict[str, Any] = {}
    shutil.rmtree(work / "cache", ignore_errors=True)
    for name, extra in (
        ("a dagbag", ()),
        ("b import", ("--cache", str(work / "cache"))),
        ("c static", ()),
    ):
        command = [*steps[name](logs / f"check-{name[0]}.json"), "--dump", *extra]
        checks[name] = measured(command, logs / f"check-{name[0]}.log", work, env)
        print(
            f"[bench-dags] check {name}: {checks[name]['seconds']:.1f} s, "
            f"exit {checks[name]['exit_code']}",
            flush=True,
        )
    bag = checks["a dagbag"]["summary"]
    report["check"] = {
        "dagbag": {k: v for k, v in bag.items() if k not in {"signatures", "files_listed"}},
        "ids_unique": bag.get("dags") == manifest["expected_dags"] and not bag.get("import_errors"),
        "import": compare(
            bag.get("signatures", {}), checks["b import"]["summary"].get("signatures", {})
        ),
        "import_summary": {
            k: v
            for k, v in checks["b import"]["summary"].items()
            if k not in {"signatures", "files_read"}
        },
        # DagBag lists only the files that hold "dag" and "airflow" (its safe mode) and honours
        # .airflowignore; the extension reads every .py file of the folder.
        "read_not_listed": sorted(
            set(checks["b import"]["summary"].get("files_read", []))
            - set(bag.get("files_listed", []))
        ),
        "static": compare(
            bag.get("signatures", {}), checks["c static"]["summary"].get("signatures", {})
        ),
        "seconds": {n: round(c["seconds"], 2) for n, c in checks.items()},
        "exit_codes": {n: c["exit_code"] for n, c in checks.items()},
    }

    rounds: list[dict[str, Any]] = []
    report["rounds"] = rounds
    for number in range(1, args.rounds + 1):
        runs: dict[str, Any] = {}
        for name, step in steps.items():
            log = logs / f"r{number}-{name[0]}.log"
            print(f"[bench-dags] round {number} {name} (load {bench_scale.load()[0]})", flush=True)
            runs[name] = measured(step(log.with_suffix(".json")), log, work, env)
            run = runs[name]
            print(
                f"[bench-dags] round {number} {name}: {run['seconds']:.1f} s, exit "
                f"{run['exit_code']}, peak PSS {run['peak_pss_mb']:.0f} MB",
                flush=True,
            )
        rounds.append(runs)
    report["summary"] = summarise(rounds)
    if args.site:
        print("[bench-dags] the whole build: a site of the corpus's DAG pages", flush=True)
        report["site"] = measured(site_command(corpus, work), logs / "site.log", work, env)
    report["finished"] = now()
    report["load_at_end"] = bench_scale.load()
    return report


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in rounds if not r["a dagbag"]["exit_code"] and not r["b import"]["exit_code"]]
    ratios = [r["b import"]["seconds"] / r["a dagbag"]["seconds"] for r in ok]
    cpu_ratios = [r["b import"]["cpu_seconds"] / r["a dagbag"]["cpu_seconds"] for r in ok]
    summary: dict[str, Any] = {
        "b_over_a": [round(x, 3) for x in ratios],
        "b_over_a_median": round(statistics.median(ratios), 3) if ratios else None,
        "b_over_a_cpu": [round(x, 3) for x in cpu_ratios],
        "b_over_a_cpu_median": round(statistics.median(cpu_ratios), 3) if cpu_ratios else None,
    }
    for name in STEPS:
        done = [r[name] for r in rounds if not r[name]["exit_code"]]
        inner = [r["summary"] for r in done]
        summary[name] = {
            "seconds": stats([r["seconds"] for r in done]),
            "cpu_seconds": stats([r["cpu_seconds"] for r in done]),
            "peak_pss_mb": stats([r["peak_pss_mb"] for r in done]),
            "max_rss_mb": stats([r["max_rss_mb"] for r in done]),
            "peak_processes": max((r["peak_processes"] for r in done), default=0),
            "import_seconds": stats([s["import_seconds"] for s in inner if "import_seconds" in s]),
            "parse_seconds": stats([s["parse_seconds"] for s in inner if "parse_seconds" in s]),
            "first_result_seconds": stats(
                [s["first_result_seconds"] for s in inner if "first_result_seconds" in s]
            ),
            # Parsed in the pool (b, d); listed by DagBag (a); read from source (c).
            "files_parsed": sorted(
                {
                    s["files_parsed"]
                    if "files_parsed" in s and name != "c static"
                    else s.get("files", 0)
                    for s in inner
                }
            ),
            "failed_rounds": len(rounds) - len(done),
        }
    return summary


# --- the report -----------------------------------------------------------------------------------


def now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def spread(values: dict[str, float], digits: int = 1) -> str:
    if not values:
        return "-"
    return f"{values['median']:.{digits}f} ({values['min']:.{digits}f}..{values['max']:.{digits}f})"


def render(report: dict[str, Any]) -> str:
    """The plain-text report, from the JSON alone."""
    machine, corpus, check = report["machine"], report["corpus"], report["check"]
    summary = report["summary"]
    out = [
        "sphinxext-etl DAG parsing benchmark (benchmarks/bench_dags.py; see benchmarks/README.rst)",
        f"machine: {machine['cpus']} CPUs, {machine['memory_gb']} GB, Python {machine['python']}, "
        f"{machine['platform']}; " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()),
        f"code: {report['code']['source']} ({report['code']['commit'][:10]}); "
        f"workers = {report['workers']} ({'one per core' if not report['workers'] else 'fixed'})",
        f"run {report['started']} .. {report['finished']}: {report['command']}",
        "",
        f"Corpus: {corpus['copies']} copies x "
        f"{sum(s['dag_files'] for s in corpus['sources'].values())} DAG files = "
        f"{corpus['dag_files']} DAG files ({corpus['py_files']} .py files with the support "
        f"folders' modules), {corpus['path']}",
    ]
    for name, source in corpus["sources"].items():
        out.append(
            f"  {name}: {source['package']}: {source['dag_files']} DAG files, "
            f"{source['dags']} DAGs in {source['files_with_dags']} of them; support files: "
            + ", ".join(source["support_files"])
        )
        no_dags = [f for f in source["no_dags"] if "/" not in f]
        if no_dags or source["import_errors"]:
            out.append(
                f"    originals: {len(source['import_errors'])} import error(s) in DagBag; DAG "
                f"files that give no DAG (they catch their own ImportError): {', '.join(no_dags)}"
            )
    bag = check["dagbag"]
    out.append(
        f"  unique ids: DagBag on the corpus loads {bag.get('dags')} DAGs from {bag.get('files')} "
        f"files ({bag.get('files_without_dags')} give none), expected {corpus['expected_dags']} "
        f"(copies x DAGs per copy); {bag.get('import_errors')} import error(s): "
        + ("OK" if check["ids_unique"] else "NOT UNIQUE")
    )
    for file, error in list(bag.get("errors", {}).items())[:5]:
        out.append(f"    {file}: {error}")

    out += [
        "",
        f"Rounds: {len(report['rounds'])}, interleaved "
        f"({' '.join(n.split()[0] for n in STEPS)} per round); each step a fresh process",
        "",
    ]
    rows = []
    for name, what in STEPS.items():
        s = summary[name]
        rows.append(
            [
                name,
                spread(s["seconds"]),
                spread(s["cpu_seconds"]),
                spread(s["import_seconds"]),
                spread(s["parse_seconds"]),
                spread(s["first_result_seconds"]),
                spread(s["peak_pss_mb"], 0),
                str(s["peak_processes"]),
                spread(s["max_rss_mb"], 0),
                "/".join(map(str, s["files_parsed"])),
                what,
            ]
        )
    out += bench_scale.table(
        [
            "step",
            "wall s",
            "CPU s",
            "import s",
            "parse s",
            "1st result s",
            "PSS MB",
            "procs",
            "max RSS MB",
            "files",
            "what",
        ],
        rows,
    )
    out.append(
        "  (median (min..max) over the rounds; CPU: user + system seconds of the step's process "
        "tree; import/parse/1st result: timed inside the step; files: parsed for b/d, DagBag's "
        "files for a, read for c)"
    )
    out += ["", "Per round (wall seconds; a CPU, b CPU: CPU seconds of their process trees):", ""]
    rows = []
    for number, runs in enumerate(report["rounds"], 1):
        a, b = runs["a dagbag"], runs["b import"]
        rows.append(
            [
                str(number),
                *[measure_text(runs[name]) for name in STEPS],
                bench_scale.times(b["seconds"] / a["seconds"])
                if not (a["exit_code"] or b["exit_code"])
                else "-",
                f"{a['cpu_seconds']:.1f}",
                f"{b['cpu_seconds']:.1f}",
                bench_scale.times(b["cpu_seconds"] / a["cpu_seconds"])
                if not (a["exit_code"] or b["exit_code"]) and a["cpu_seconds"]
                else "-",
                "/".join(f"{x:.1f}" for x in runs["a dagbag"]["load_before"][:2]),
            ]
        )
    out += bench_scale.table(
        ["round", *[n.split()[0] for n in STEPS], "b/a", "a CPU", "b CPU", "b/a CPU", "load 1/5m"],
        rows,
    )
    median = summary["b_over_a_median"]
    out.append(
        f"b / a, median of the rounds' ratios: {bench_scale.times(median)} (target <= "
        f"{TARGET_RATIO:.1f}x): "
        + ("-" if median is None else "met" if median <= TARGET_RATIO else "NOT met")
        + f"; in CPU seconds: {bench_scale.times(summary['b_over_a_cpu_median'])}"
    )
    out += ["", "Exactness: (dag id, task ids, edges, file) of every DAG DagBag loads, against b"]
    for mode in ("import", "static"):
        c = check[mode]
        out.append(
            f"  {mode}: DagBag {c['dagbag_dags']} DAGs, scan {c['scan_dags']}: {c['equal']} equal "
            f"({c['equal_read_statically']} of them read statically), {len(c['missing'])} "
            f"missing, {len(c['different'])} different, {len(c['extra'])} extra"
        )
        for item in c["different"][:8]:
            out.append(f"    different: {item['dag_id']}: {', '.join(item['differs in'])}")
        for dag_id in c["missing"][:5]:
            out.append(f"    missing: {dag_id!r}")
        for dag_id in c["extra"][:5]:
            out.append(f"    extra: {dag_id!r}")
    imported = check["import_summary"]
    out.append(
        f"  b read {imported.get('files')} files: {imported.get('static_fallback_files')} fell "
        f"back to the static reading, {imported.get('problems')} problem(s); DAGs by how they were "
        f"read: {imported.get('parsed')}"
    )
    extra = check["read_not_listed"]
    if extra:
        out.append(
            f"  b imports {len(extra)} file(s) DagBag does not list (no 'dag' or 'airflow' in "
            f"them, or .airflowignore), e.g. {', '.join(sorted(extra, key=len)[:4])}"
        )
    for item in imported.get("fallback", [])[:5]:
        out.append(f"    fallback: {item['file']}: {item['message'][:200]}")
    out.append(
        "Memory: peak over the run of the summed PSS (/proc/<pid>/smaps_rollup) of the step's "
        "process and all its descendants, sampled every 0.2 s; max RSS: the largest single "
        "process (ru_maxrss). a runs in one thread; b's wall time depends on the cores the "
        "machine's other load leaves it (see load)."
    )
    out.append(f"load average at start {report['load_at_start']}, at end {report['load_at_end']}")
    if "site" in report:
        site = report["site"]
        out += [
            "",
            "Whole build (--site): sphinx-build -j auto -b html, cold, of a site with the "
            "corpus's DAG pages and the standard provider",
            f"  wall {site['seconds']:.1f} s, CPU {site['cpu_seconds']:.1f} s, peak process-tree "
            f"PSS {site['peak_pss_mb']:.0f} MB over {site['peak_processes']} processes, "
            f"exit {site['exit_code']}",
        ]
    for number, runs in enumerate(report["rounds"], 1):
        for name, run in runs.items():
            if run["exit_code"]:
                out.append(f"round {number} {name} FAILED (exit {run['exit_code']}); log tail:")
                out += ["    " + line for line in run.get("log_tail", "").splitlines()[-15:]]
    return "\n".join(out) + "\n"


def measure_text(run: dict[str, Any]) -> str:
    return f"{run['seconds']:.1f}" + ("" if not run["exit_code"] else f" (exit {run['exit_code']})")


def main() -> None:
    if sys.argv[1:2] == ["step"]:
        run_step(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, help=f"default: enough for {TARGET_FILES} DAG files")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--workers", type=int, default=0, help="etl_workers for b and d (0: a core each)"
    )
    parser.add_argument(
        "--corpus", type=Path, help="reuse the corpus in this folder (built there if it has none)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "results" / f"{datetime.date.today().isoformat()}-dags",
        help="writes OUT.json and OUT.txt",
    )
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false")
    parser.add_argument(
        "--site", action="store_true", help="also time a whole sphinx-build of the corpus's pages"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and logs")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-dags-"))
    env = os.environ.copy()
    env.setdefault("AIRFLOW_HOME", str(work / "airflow-home"))
    env.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    env["PYTHONUNBUFFERED"] = "1"
    # The DAG files are compiled by every step, as in a fresh checkout: without this, the
    # first step to import a file would leave bytecode that the later ones read.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        report = run(args, work, env)
        json_path, text_path = args.out.with_suffix(".json"), args.out.with_suffix(".txt")
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        text_path.write_text(render(report), encoding="utf-8")
    finally:
        if args.keep:
            print(f"[bench-dags] work folder kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(text_path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
