"""Benchmark: the set-up a site made by ``sphinx-etl init`` saves in CI with a restored cache.

Per round, in a temporary site (``sphinx-etl init`` with ``--package acme_platform``, the
providers given, and acme_platform's DAGs but the legacy one beside ``docs/``), each build a
fresh subprocess of the site's own ``scripts/build-docs.sh`` (``-W -n -j auto``):

* **first**: a fresh checkout with no cache, as CI's first run;
* **second**: the build output, doctrees and generated reference pages deleted, only
  ``docs/.etl-cache`` kept (what CI has after checking out and restoring the cache), built
  into a fresh output folder;
* **checkout**: the same again after giving the in-house sources and the DAG files new
  modification times, as a ``git checkout`` does (``acme_platform`` is imported from a copy
  put first on ``PYTHONPATH``, so that the repository's files are not touched).

Set-up is the time from the start to Sphinx's ``updating environment:`` line (configuration,
extensions, ``builder-inited``: the introspection and the generated pages), as
``bench_scale.py`` measures it. The target (issue 27) is second / first <= 0.10. Prints every
round, the median of each column and the extension's summary lines of the last second build.
Usage::

    AIRFLOW_HOME=/tmp/afh-bench .venv/bin/python benchmarks/bench_template_cache.py
    AIRFLOW_HOME=/tmp/afh-bench .venv/bin/python benchmarks/bench_template_cache.py \\
        --python .venv-providers/bin/python --providers all      # the 22-set
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import measure

REPO = Path(__file__).resolve().parent.parent
#: The demo's providers, installed in the main venv.
DEMO_PROVIDERS = (
    "apache-airflow-providers-standard,apache-airflow-providers-sqlite,"
    "apache-airflow-providers-postgres,apache-airflow-providers-http,"
    "apache-airflow-providers-common-sql"
)
SET_UP = ("set-up", b"updating environment:")
IGNORED = shutil.ignore_patterns("__pycache__")
TARGET = 0.10


def init_site(python: str, providers: str, folder: Path) -> Path:
    """The site as the test builds it (``tests/test_template_cache.py``)."""
    command = [python, "-m", "sphinxext_etl", "init", str(folder), "--no-input"]
    command += ["--project", "ACME data platform", "--package", "acme_platform"]
    subprocess.run([*command, "--providers", providers], check=True, capture_output=True)
    dags = REPO / "examples" / "acme_platform" / "dags"
    shutil.copytree(dags, folder / "dags", ignore=shutil.ignore_patterns("legacy_*", "__pycache__"))
    return folder


def build(site: Path, output: Path, log: Path, python: str) -> tuple[float, float]:
    """(set-up seconds, whole build seconds) of one run of the site's build script."""
    path = [str(site.parent / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHON": python, "PYTHONUNBUFFERED": "1", "PYTHONPATH": ":".join(path)}
    for name in ("SPHINXOPTS", "ETL_INTERSPHINX"):
        env.pop(name, None)
    command = ["bash", str(site / "scripts" / "build-docs.sh"), str(output)]
    result = measure.run(command, log=log, cwd=site, env=env, marks=[SET_UP])
    if result.exit_code or "set-up" not in result.marks:
        raise SystemExit(f"build failed, see {log}:\n{log.read_text()[-3000:]}")
    return result.marks["set-up"], result.seconds


def fresh_checkout(site: Path) -> None:
    """Keep only ``docs/.etl-cache``: the output, doctrees and reference pages are not committed."""
    shutil.rmtree(site / "docs" / "_build")
    shutil.rmtree(site / "docs" / "reference")


def touch(folder: Path) -> None:
    """New modification times for every file, as a fresh checkout gives them."""
    for file in folder.rglob("*"):
        file.touch()


def one_round(python: str, providers: str, work: Path) -> tuple[list[float], list[str]]:
    """The figures of a round, and the extension's lines in the last build's log."""
    package = REPO / "examples" / "acme_platform" / "acme_platform"
    shutil.copytree(package, work / "src" / "acme_platform", ignore=IGNORED)
    site = init_site(python, providers, work / "site")
    first = build(site, site / "docs" / "_build" / "html", work / "first.log", python)
    fresh_checkout(site)
    second = build(site, work / "second", work / "second.log", python)
    fresh_checkout(site)
    touch(work / "src")
    touch(site / "dags")
    checkout = build(site, work / "checkout", work / "checkout.log", python)
    logs = [(work / f"{name}.log").read_text().splitlines() for name in ("second", "checkout")]
    return [*first, *second, *checkout], [line for log in logs for line in log if "[etl]" in line]


COLUMNS = ("first set-up", "first", "second set-up", "second", "checkout set-up", "checkout")


def row(label: str, values: list[float]) -> str:
    cells = (f"{v:>{len(column) + 2}.1f}" for v, column in zip(values, COLUMNS, strict=True))
    return f"{label:<7}" + "".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=str(REPO / ".venv" / "bin" / "python"))
    parser.add_argument("--providers", default=DEMO_PROVIDERS, help='a comma list, or "all"')
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the sites and logs")
    args = parser.parse_args()
    os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="bench-airflow-"))
    rows: list[list[float]] = []
    print(f"{args.python}, providers: {args.providers}; seconds")
    print(f"{'round':<7}" + "".join(f"{c:>{len(c) + 2}}" for c in COLUMNS))
    for number in range(1, args.rounds + 1):
        work = Path(tempfile.mkdtemp(prefix="bench-template-cache-"))
        figures, summary = one_round(args.python, args.providers, work)
        rows.append(figures)
        print(row(str(number), figures), f"(kept in {work})" if args.keep else "")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    medians = [statistics.median(column) for column in zip(*rows, strict=True)]
    print(row("median", medians))
    for name, column in (("second", 2), ("checkout", 4)):
        ratio = medians[column] / medians[0]
        verdict = "met" if ratio <= TARGET else "NOT met"
        print(f"set-up: {name} / first = {ratio:.3f} (target <= {TARGET}: {verdict})", end="; ")
        print(f"whole build: {medians[column + 1] / medians[1]:.2f}")
    print("the last second and checkout builds' [etl] lines:", *summary, sep="\n  ")


if __name__ == "__main__":
    main()
