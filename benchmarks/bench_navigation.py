"""Benchmark: what the site template's navigation settings cost when writing (issue 27).

sphinx_rtd_theme renders the global toctree on every page it writes, and Sphinx resolves it
for each one. Its options ``collapse_navigation``, ``navigation_depth`` and ``titles_only``
decide how much of it. The realworld site is built once, cold, against a provider set's venv;
then, for each variant, every page is written again from the same environment
(``sphinx-build -a``: nothing is read) and the writing phase is timed, in rounds that
alternate the variants. It prints the median writing seconds of each variant, its ratio to
rtd's defaults, and how many entries a component page's navigation shows.

    AIRFLOW_HOME=/tmp/afh-bench .venv/bin/python benchmarks/bench_navigation.py \\
        --python .venv-providers-all/bin/python --rounds 2
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import measure
from bench_scale import PHASE_ENDS, phases

REPO = Path(__file__).resolve().parents[1]
#: ``name -> html_theme_options`` overrides; the first is sphinx_rtd_theme's defaults.
VARIANTS: dict[str, dict[str, str]] = {
    "rtd defaults (collapse, depth 4)": {},
    "titles_only": {"titles_only": "1"},
    "navigation_depth 2": {"navigation_depth": "2"},
    "navigation_depth 2, titles_only": {"navigation_depth": "2", "titles_only": "1"},
    "navigation_depth 3": {"navigation_depth": "3"},
    "not collapsed": {"collapse_navigation": "0"},
}
#: An entry of the navigation's toctree.
ENTRY = re.compile(r'<li class="toctree-l\d')


def build(python: str, src: Path, out: Path, extra: list[str], log: Path) -> dict[str, float]:
    command = [python, "-m", "sphinx", "-N", "-b", "html", "-j", "auto", *extra]
    command += ["-d", str(out / "doctrees"), str(src), str(out / "html")]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    result = measure.run(command, log=log, cwd=src, env=env, marks=PHASE_ENDS)
    if result.exit_code:
        sys.exit(f"build failed ({result.exit_code}): {log}")
    return {**phases(result), "seconds": result.seconds}


def options(overrides: dict[str, str]) -> list[str]:
    return [f"-Dhtml_theme_options.{key}={value}" for key, value in overrides.items()]


def nav_entries(out: Path) -> int:
    """Entries of the navigation on one component page (the first of the largest provider)."""
    page = next((out / "html" / "reference").glob("google/*Operator.html"), None)
    page = page or next((out / "html" / "reference").rglob("*Operator.html"))
    return len(ENTRY.findall(page.read_text(encoding="utf-8")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=str(REPO / ".venv-providers-all/bin/python"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    # Absolute, not resolved: a venv's python is a symlink to the base interpreter.
    python = str(Path(args.python).absolute())
    work = Path(tempfile.mkdtemp(prefix="bench-nav-"))
    src = work / "src"
    shutil.copytree(REPO / "realworld", src, ignore=shutil.ignore_patterns("_build", "reference"))
    out = work / "out"
    cold = build(python, src, out, [], work / "cold.log")
    print(f"cold build: {cold}")
    writing: dict[str, list[float]] = {name: [] for name in VARIANTS}
    sizes: dict[str, int] = {}
    for round_ in range(args.rounds):
        for name, overrides in VARIANTS.items():
            log = work / f"{round_}-{len(writing[name])}.log"
            found = build(python, src, out, ["-a", *options(overrides)], log)
            writing[name].append(found["writing"])
            sizes[name] = nav_entries(out)
    base = statistics.median(writing[next(iter(VARIANTS))])
    print(f"\n{'variant':36} {'writing s (median)':>18} {'ratio':>6} {'nav entries':>11}  runs")
    for name, seconds in writing.items():
        median = statistics.median(seconds)
        runs = ", ".join(f"{s:.1f}" for s in seconds)
        print(f"{name:36} {median:18.1f} {median / base:6.2f} {sizes[name]:11d}  {runs}")
    print(f"load average at end: {os.getloadavg()}")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
