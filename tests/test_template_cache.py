"""The site template's CI path (issue 27): a build in a fresh checkout that restored only the
introspection cache (``docs/.etl-cache``) reads every owner from it, and the build script's
``-j auto`` and cache key. How much set-up that saves is measured in
``benchmarks/bench_template_cache.py``, not here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxext_etl import __version__, cli

REPO = Path(__file__).resolve().parent.parent
#: The demo's providers (installed in the test venv) and its in-house package.
PROVIDERS = [
    "apache-airflow-providers-standard",
    "apache-airflow-providers-sqlite",
    "apache-airflow-providers-postgres",
    "apache-airflow-providers-http",
    "apache-airflow-providers-common-sql",
]
OWNERS = len(PROVIDERS) + 1  # and acme_platform
FROM_CACHE = re.compile(r"^\[etl\] (\d+) of (\d+) owners from cache", re.MULTILINE)
DAG_FILES = re.compile(r"^\[etl\] DAG files: (\d+) imported, (\d+) from cache", re.MULTILINE)


def init_site(target: Path) -> Path:
    """A site as ``sphinx-etl init`` writes it, with the platform's DAGs beside ``docs/``."""
    args = ["--project", "ACME data platform", "--package", "acme_platform", "--no-input"]
    assert cli.main(["init", str(target), *args, "--providers", ",".join(PROVIDERS)]) == 0
    # The legacy DAG uses a deprecated operator on purpose: an etl.usage warning, fatal with -W.
    dags = REPO / "examples" / "acme_platform" / "dags"
    ignored = shutil.ignore_patterns("legacy_*", "__pycache__")
    shutil.copytree(dags, target / "dags", ignore=ignored)
    return target


def build_docs(site: Path, *args: str, python: str = sys.executable, **env: str) -> str:
    """``scripts/build-docs.sh`` as CI runs it (offline: no intersphinx); its output."""
    environ = {**os.environ, "PYTHON": python, **env}
    environ.pop("ETL_INTERSPHINX", None)
    command = ["bash", str(site / "scripts" / "build-docs.sh"), *args]
    result = subprocess.run(command, env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result.stdout


def fresh_checkout(site: Path) -> None:
    """What CI has after checking out and restoring the cache: no build output, doctrees or
    generated reference pages (neither is committed), only ``docs/.etl-cache``."""
    shutil.rmtree(site / "docs" / "_build")
    shutil.rmtree(site / "docs" / "reference")


def test_a_fresh_checkout_with_the_restored_cache_introspects_nothing(tmp_path: Path) -> None:
    site = init_site(tmp_path / "site")
    first = build_docs(site)
    cache = site / "docs" / ".etl-cache"
    assert len(list(cache.glob("*.json"))) == OWNERS
    imported, _ = DAG_FILES.findall(first)[0]
    assert int(imported) > 0
    fresh_checkout(site)

    second = build_docs(site, str(tmp_path / "fresh-output"))
    assert FROM_CACHE.findall(second) == [(str(OWNERS), str(OWNERS))], second[:3000]
    # Nor is a DAG file imported again: no worker process starts.
    assert DAG_FILES.findall(second) == [("0", imported)]
    assert (tmp_path / "fresh-output" / "reference" / "index.html").is_file()


@pytest.fixture
def echo_python(tmp_path: Path) -> str:
    """A ``PYTHON`` that prints the arguments the build script gives it."""
    script = tmp_path / "python"
    script.write_text('#!/bin/sh\necho "$@"\n')
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    ("sphinxopts", "jobs"),
    [("", "-j auto"), ("-v", "-j auto"), ("-j 2", "-j 2"), ("-v --jobs=3", "--jobs=3")],
)
def test_builds_in_parallel_unless_sphinxopts_choose(
    tmp_path: Path, echo_python: str, sphinxopts: str, jobs: str
) -> None:
    assert cli.main(["init", str(tmp_path / "site"), "--no-input"]) == 0
    arguments = build_docs(tmp_path / "site", python=echo_python, SPHINXOPTS=sphinxopts)
    assert f" {jobs} " in f" {arguments.strip()} "
    assert len(re.findall(r"(?:^|\s)(?:-j|--jobs)", arguments)) == 1


def cache_key(site: Path) -> dict[str, str]:
    """What ``scripts/build-docs.sh --cache-key`` gives the workflow's ``$GITHUB_OUTPUT``."""
    command = ["bash", str(site / "scripts" / "build-docs.sh"), "--cache-key"]
    environ = {**os.environ, "PYTHON": sys.executable}
    result = subprocess.run(command, env=environ, capture_output=True, text=True, check=True)
    return dict(line.split("=", 1) for line in result.stdout.splitlines())


def test_the_cache_key_names_python_and_the_extension(tmp_path: Path) -> None:
    assert cli.main(["init", str(tmp_path), "--package", "acme_platform", "--no-input"]) == 0
    outputs = cache_key(tmp_path)
    assert sorted(outputs) == ["key", "prefix"]
    python = ".".join(map(str, sys.version_info[:3]))
    assert outputs["prefix"].endswith(f"-py{python}-sphinxext-etl{__version__}-")
    assert outputs["key"].startswith(outputs["prefix"])
    # Another requirements file makes another key, which restores the same prefix.
    (tmp_path / "requirements-docs.txt").write_text("sphinxext-etl\n", encoding="utf-8")
    again = cache_key(tmp_path)
    assert again["prefix"] == outputs["prefix"]
    assert again["key"] != outputs["key"]
