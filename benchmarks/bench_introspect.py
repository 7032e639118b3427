"""How long one owner's worker spends importing and introspecting, and where.

Each run reads one owner in a fresh process, the way a worker does: Airflow and its base
classes first (the fork server's warm-up, not timed), then
:func:`sphinxext_etl.collect.read_owner`. Phases are timed with ``perf_counter`` around the
functions that do them, counting only the outermost call of each:

- ``listing``: finding the owner's modules (a provider's info module is imported there);
- ``imports``: importing the owner's modules (``collect.import_module``);
- ``introspection``: the rest of ``read_owner``, of which
  ``hooks used`` (``live.hooks_used``; its own imports of modules that a method imports inside
  its body, ``hook imports``, counted apart as well) and ``static`` (modules read from source).

Two more cut across the phases: ``parsing`` (every ``ast.parse``, whoever calls it) and ``gc``
(the cyclic garbage collector, through ``gc.callbacks``; ``gc in imports`` is the part of it
while a module is imported).

The fork server's preloaded libraries (``collect.preload``) are not imported first: their
import time is in ``imports`` here. Run it in a venv with the providers installed::

    AIRFLOW_HOME=/tmp/ah .venv-providers/bin/python benchmarks/bench_introspect.py \\
        --provider google --provider amazon --repeat 3

``--dump DIR`` writes each owner's record (``OwnerRecord.to_json``) to ``DIR/<owner>.json``;
``--check DIR`` compares each record with the one there and fails on any difference, so a
change meant only to be faster can show that every record is the same. ``--package ROOT``
reads an in-house package (``acme_platform``: ``examples/acme_platform`` is put on the path).
By default the collector runs as in a worker, which freezes what earlier modules left before
it reads the next; ``--gc off`` reads with the collector off, ``--gc freeze`` freezes after
each module's import instead. ``--profile`` prints
the functions the run spent most time in (cProfile, one run; with ``--dump``, the statistics
are kept as ``DIR/<owner>.prof`` too).
"""

from __future__ import annotations

import argparse
import ast
import functools
import gc
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "acme_platform"
PHASES = (
    "total",
    "listing",
    "imports",
    "introspection",
    "hooks used",
    "hook imports",
    "static",
    "parsing",
    "gc",
    "gc in imports",
)


# --- in the child: one owner, one run -----------------------------------------------------------


class Timers:
    """Inclusive time per phase, wall clock and this process's CPU time, counting only the
    outermost call of each (a function that calls itself is not counted twice)."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.cpu: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.calls: dict[str, int] = dict.fromkeys(PHASES, 0)
        self._depth: dict[str, int] = dict.fromkeys(PHASES, 0)
        self._collecting = (0.0, 0.0)

    def add(self, phase: str, since: tuple[float, float]) -> None:
        self.wall[phase] += time.perf_counter() - since[0]
        self.cpu[phase] += time.process_time() - since[1]

    def collecting(self, phase: str, info: dict[str, int]) -> None:
        """A ``gc.callbacks`` hook: the time the cyclic collector runs, in any phase."""
        if phase == "start":
            self._collecting = _now()
            self.calls["gc"] += 1
            return
        self.add("gc", self._collecting)
        if self._depth["imports"]:
            self.add("gc in imports", self._collecting)
            self.calls["gc in imports"] += 1

    def wrap(self, phase: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.calls[phase] += 1
            if self._depth[phase]:
                return func(*args, **kwargs)
            self._depth[phase] += 1
            start = _now()
            try:
                return func(*args, **kwargs)
            finally:
                self.add(phase, start)
                self._depth[phase] -= 1

        return timed


def _freezing(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func``, then ``gc.freeze()``: what a module's import left is never collected again."""

    @functools.wraps(func)
    def frozen(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        finally:
            gc.freeze()

    return frozen


def _nothing(module: str) -> None:
    pass


def _freeze(module: str) -> None:
    gc.freeze()


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _owner(name: str, package: bool) -> Any:
    from sphinxext_etl.collect import discovery
    from sphinxext_etl.config import EtlConfig

    config = EtlConfig(providers=[], packages=[name]) if package else EtlConfig(providers=[name])
    problems: list[str] = []
    found = discovery.owners(config, problems)
    if not found:
        sys.exit(f"no owner {name!r}: {problems}")
    return found[0], config


def read_one(name: str, package: bool, dump: str, profile: bool, collector: str) -> dict[str, Any]:
    """Read one owner here, timed; its record written to ``dump`` (JSON)."""
    from sphinxext_etl import collect
    from sphinxext_etl.collect import airflow, listing, live, source

    airflow.ensure_airflow_home()
    airflow.airflow_bases()
    owner, config = _owner(name, package)
    timers = Timers()
    collect.import_module = timers.wrap("imports", collect.import_module)
    listing.discover = timers.wrap("listing", listing.discover)
    live.hooks_used = timers.wrap("hooks used", live.hooks_used)
    uses = importlib.import_module("sphinxext_etl.collect.hooks_used")
    uses.import_module = timers.wrap("hook imports", uses.import_module)
    source.read_module = timers.wrap("static", source.read_module)
    ast.parse = timers.wrap("parsing", ast.parse)
    gc.callbacks.append(timers.collecting)
    gc.freeze()  # as the fork server does before it forks a worker
    if collector == "off":
        gc.disable()
    elif collector == "freeze":
        collect.import_module = _freezing(collect.import_module)
    # A worker freezes what the modules read so far left before it reads the next one
    # (collect/workers.py): "on" reads as a worker does.
    announce = _freeze if collector == "on" else _nothing
    start = _now()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        record = profiler.runcall(collect.read_owner, owner, config, announce)
        profiler.dump_stats(Path(dump).with_suffix(".prof"))
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    else:
        record = collect.read_owner(owner, config, announce)
    timers.add("total", start)
    for clock in (timers.wall, timers.cpu):
        clock["introspection"] = clock["total"] - clock["listing"] - clock["imports"]
    Path(dump).write_text(json.dumps(record.to_json(), indent=1, sort_keys=True))
    return {
        "wall": timers.wall,
        "cpu": timers.cpu,
        "calls": timers.calls,
        "components": len(record.components),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --- in the parent: fresh processes, repeated -------------------------------------------------


def run_child(
    name: str, package: bool, dump: Path, profile: bool, collector: str
) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", name, "--dump-file", str(dump)]
    command += ["--gc", collector]
    command += ["--package-child"] if package else []
    command += ["--profile"] if profile else []
    env = dict(os.environ)
    env.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="bench-introspect-"))
    env.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    if package:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(EXAMPLES), env.get("PYTHONPATH")]))
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if profile:
        sys.stderr.write(done.stderr)
    if done.returncode:
        sys.exit(f"reading {name} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _figure(values: list[float]) -> str:
    return f"{min(values):7.2f} {statistics.median(values):7.2f}"


def report(name: str, runs: list[dict[str, Any]]) -> None:
    first = runs[0]
    print(f"\n{name}: {first['components']} components, {len(runs)} runs")
    print(f"  {'seconds':<14} {'wall min':>7} {'median':>7}  {'cpu min':>7} {'median':>7}  calls")
    for phase in PHASES:
        wall = _figure([run["wall"][phase] for run in runs])
        cpu = _figure([run["cpu"][phase] for run in runs])
        print(f"  {phase:<14} {wall}  {cpu}  {first['calls'][phase] or ''}")
    print(f"  {'max RSS MB':<14} {_figure([run['max_rss_mb'] for run in runs])}")


def compare(name: str, made: Path, saved: Path) -> bool:
    if not saved.exists():
        print(f"{name}: no saved record {saved}")
        return False
    old, new = json.loads(saved.read_text()), json.loads(made.read_text())
    if old == new:
        print(f"{name}: record identical ({len(new['components'])} components)")
        return True
    old_by = {c["path"]: c for c in old["components"]}
    new_by = {c["path"]: c for c in new["components"]}
    changed = sorted(p for p in old_by.keys() | new_by.keys() if old_by.get(p) != new_by.get(p))
    print(f"{name}: record DIFFERS; components changed: {len(changed)} {changed[:10]}")
    for key in ("provider", "failures", "problems"):
        if old[key] != new[key]:
            print(f"  {key} differ")
    if [c["path"] for c in old["components"]] != [c["path"] for c in new["components"]]:
        print("  component order differs")
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--provider", action="append", default=[], help="a provider to read")
    parser.add_argument("--package", action="append", default=[], help="an in-house package")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dump", type=Path, help="write each record to DIR/<owner>.json")
    parser.add_argument("--check", type=Path, help="compare each record with DIR/<owner>.json")
    parser.add_argument("--profile", action="store_true", help="cProfile one run (stderr)")
    parser.add_argument(
        "--gc",
        choices=["on", "off", "freeze"],
        default="on",
        help="the cyclic collector while reading: as in a worker (on), off, or frozen "
        "after each module's import",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--package-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dump-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = read_one(args.child, args.package_child, args.dump_file, args.profile, args.gc)
        print(json.dumps(result))
        return
    owners = [(name, False) for name in args.provider] + [(name, True) for name in args.package]
    if not owners:
        parser.error("name at least one --provider or --package")
    same = True
    with tempfile.TemporaryDirectory() as scratch:
        for name, package in owners:
            made = Path(scratch) / f"{name}.json"
            repeat = 1 if args.profile else args.repeat
            runs = [run_child(name, package, made, args.profile, args.gc) for _ in range(repeat)]
            report(name, runs)
            if args.dump:
                args.dump.mkdir(parents=True, exist_ok=True)
                (args.dump / made.name).write_text(made.read_text())
                if args.profile:
                    (args.dump / f"{name}.prof").write_bytes(made.with_suffix(".prof").read_bytes())
            if args.check:
                same = compare(name, made, args.check / made.name) and same
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
