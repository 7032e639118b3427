"""DAG files read as Airflow parses them (``etl_dag_parse = "import"``), each in a worker
process: DAGs made in loops and factories come out whole, and a file that raises, exits,
crashes, hangs or reads a Variable at import gives one located warning and is read
statically instead, while the build goes on."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import airflow
import pytest
from bs4 import BeautifulSoup

from sphinxext_etl.build.data import data_of
from sphinxext_etl.model import loads as model_loads

#: file -> (what the warning says, the line it points at)
FAILING = {
    "raises.py": ("RuntimeError: the warehouse is not reachable", 9),
    "exits.py": ("SystemExit: 3", 11),
    "hard_exit.py": ("the worker process died (exit code 7)", 1),
    "crashes.py": ("the worker process died (exit code -11, SIGSEGV)", 1),
    "hangs.py": ("timed out after 4 s", 1),
    "sleeps.py": ("DagBag import timeout", 11),
    "reads_variable.py": ("landing_bucket", 6),
}

_BUILT: dict[str, SimpleNamespace] = {}


def warnings_of(app: Any) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", app._warning.getvalue())


@pytest.fixture
def built(make_app: Any, rootdir: Path, tmp_path_factory: Any) -> SimpleNamespace:
    if "html" not in _BUILT:
        srcdir = tmp_path_factory.mktemp("dag-import") / "src"
        shutil.copytree(rootdir / "test-dag-import", srcdir)
        app = make_app("html", srcdir=srcdir, freshenv=True)
        app.build()
        _BUILT["html"] = SimpleNamespace(app=app, warnings=warnings_of(app), srcdir=srcdir)
    return _BUILT["html"]


def page(built: Any, docname: str) -> BeautifulSoup:
    html = (Path(built.app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def steps(soup: BeautifulSoup) -> list[str]:
    """The step ids of a DAG page's tables (their first cells' literals), as a reader sees them."""
    cells = soup.select("table.etl-dag-tasks tbody td:first-child > p:first-child code")
    return [code.get_text() for code in cells]


def test_dags_made_by_a_factory_in_a_loop_are_read_whole(built: Any) -> None:
    scan = data_of(built.app.env).dag_scan
    by_id = {dag.dag_id: dag for dag in scan.dags}
    for region in ("emea", "apac"):
        dag = by_id[f"export_{region}"]
        tables = [f"tables.export_{t}" for t in ("orders", "customers", "invoices")]
        assert [t.task_id for t in dag.tasks] == ["start", *tables, "done"]
        edges = {(e.upstream, e.downstream) for e in dag.dependencies}
        assert edges == {("start", t) for t in tables} | {(t, "done") for t in tables}
        assert [g.group_id for g in dag.groups if g.group_id] == ["tables"]
        assert {t.group for t in dag.tasks} == {"", "tables"}
        assert dag.owners == (f"{region}-data",)
        assert dag.parsed.value == "imported"
        # Located where the factory makes them, though made in a loop.
        source = (built.srcdir / "dags" / "made_in_loops.py").read_text().splitlines()
        assert "BashOperator(" in source[dag.task("tables.export_orders").line - 1]
        assert "with DAG(" in source[dag.line - 1]
        assert "tables.export_orders" in steps(page(built, f"reference/dags/export_{region}"))


@pytest.mark.parametrize("file", sorted(FAILING))
def test_a_file_that_fails_to_import_gives_one_located_warning(built: Any, file: str) -> None:
    says, line = FAILING[file]
    found = [w for w in built.warnings.splitlines() if f"dags/{file}:" in w]
    assert len(found) == 1, found
    assert f"dags/{file}:{line}: WARNING: cannot import DAG file {file}" in found[0]
    assert says in found[0]
    assert found[0].endswith("[etl.dag]")


@pytest.mark.parametrize("file", sorted(FAILING))
def test_a_file_that_fails_to_import_is_read_statically(built: Any, file: str) -> None:
    dag_id = {
        "raises.py": "raises_at_import",
        "exits.py": "exits_at_import",
        "hard_exit.py": "hard_exit_at_import",
        "crashes.py": "crashes_at_import",
        "hangs.py": "hangs_at_import",
        "sleeps.py": "sleeps_at_import",
        "reads_variable.py": "reads_variable_at_import",
    }[file]
    dag = next(d for d in data_of(built.app.env).dag_scan.dags if d.dag_id == dag_id)
    assert dag.parsed.value == "static"
    assert [t.task_id for t in dag.tasks] == ["first"]
    assert steps(page(built, f"reference/dags/{dag_id}")) == ["first"]


def status_of(app: Any) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", app._status.getvalue())


def test_a_rebuild_parses_only_the_dag_files_that_changed(
    make_app: Any, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-dag-import", srcdir)
    for file in FAILING:
        (srcdir / "dags" / file).unlink()
    shutil.copy(srcdir / "dags" / "made_in_loops.py", srcdir / "dags" / "second.py")
    second = srcdir / "dags" / "second.py"
    second.write_text(second.read_text().replace('("emea", "apac")', '("amer",)'))

    def build() -> tuple[str, Path]:
        app = make_app("html", srcdir=srcdir)
        app.build()
        return status_of(app), Path(app.outdir)

    assert "DAG files: 2 imported, 0 from cache, 0 read statically" in build()[0]
    assert "DAG files: 0 imported, 2 from cache, 0 read statically" in build()[0]
    # A checkout: new modification times, the same contents.
    for file in (srcdir / "dags").glob("*.py"):
        os.utime(file, ns=(file.stat().st_atime_ns, file.stat().st_mtime_ns + 10**9))
    assert "DAG files: 0 imported, 2 from cache, 0 read statically" in build()[0]
    second.write_text(second.read_text().replace('("amer",)', '("amer", "latam")'))
    status, outdir = build()
    assert "DAG files: 1 imported, 1 from cache, 0 read statically" in status
    assert (outdir / "reference" / "dags" / "export_latam.html").is_file()


def strings_in(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return [value] if isinstance(value, str) else []


def test_catalog_json_publishes_the_dags_with_no_absolute_path(built: Any) -> None:
    data = json.loads((Path(built.app.outdir) / "catalog.json").read_text(encoding="utf-8"))
    assert data["schema"] == 3
    by_id = {dag["dag_id"]: dag for dag in data["dags"]}
    emea = by_id["export_emea"]
    assert emea["file"] == "dags/made_in_loops.py"
    assert emea["schedule"]["expression"] == "0 2 * * *"
    assert emea["schedule"]["words"] == "Every day at 02:00 (UTC)"
    assert {(e["upstream"], e["downstream"]) for e in emea["dependencies"]} >= {
        ("start", "tables.export_orders")
    }
    assert by_id["raises_at_import"]["parsed"] == "static"
    # Published the same from every machine: nothing names the building machine's folders.
    machine = (str(built.srcdir), sys.prefix, str(Path(airflow.__file__).parents[1]))
    assert not [s for s in strings_in(data) if s.startswith(machine)]
    sources = {c["source_file"] for c in data["components"]}
    assert "airflow/providers/standard/operators/bash.py" in sources
    assert model_loads(json.dumps(data)).dags[0].dag_id == data["dags"][0]["dag_id"]
