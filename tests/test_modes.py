"""Every Sphinx mode: all builders, incremental, parallel and reproducible builds."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent / "roots" / "test-modes"
READING = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (?P<docname>\S+)")

BUILDERS = {
    "html": "index.html",
    "dirhtml": "index.html",
    "singlehtml": "index.html",
    "text": "reference/depot-ops/RestockOperator.txt",
    "latex": "modes.tex",
    "man": "modes.1",
    "epub": "modes.epub",
    "json": "reference/depot-ops/RestockOperator.fjson",
}


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_every_builder_succeeds(builder: str, make_app: Any, rootdir: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-modes", srcdir)
    app = make_app(builder, srcdir=srcdir)
    app.build()
    assert Path(app.outdir, BUILDERS[builder]).is_file()
    warnings = [
        line
        for line in app.warning.getvalue().splitlines()
        # Sphinx's own graphviz/epub quirk: the PNG's image map has no EPUB media type.
        if line.strip() and "unknown mimetype" not in line
    ]
    assert warnings == []


# --- sphinx-build in subprocesses ---------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source)
    return source


def sphinx_build(source: Path, out: Path, *args: str, **env: str) -> list[str]:
    """Run sphinx-build; return the documents it read."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-N", "-b", "html", *args, str(source), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return sorted(m["docname"] for m in READING.finditer(result.stdout))


def test_no_change_rebuild_reads_nothing_and_imports_no_provider(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "html"
    assert "reference/depot-ops/RestockOperator" in sphinx_build(site, out)
    record = tmp_path / "modules.json"
    assert sphinx_build(site, out, ETL_RECORD_MODULES=str(record)) == []
    assert json.loads(record.read_text()) == []


def test_changed_docstring_rereads_exactly_the_affected_pages(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "html"
    sphinx_build(site, out)
    module = site / "depot_ops" / "operators.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(
        text.replace("filled up to its capacity", "filled to the brim"), encoding="utf-8"
    )
    assert sphinx_build(site, out) == [
        "reference/_source/depot_ops.operators",
        "reference/depot-ops/RestockOperator",
    ]
    html = (out / "reference" / "depot-ops" / "RestockOperator.html").read_text(encoding="utf-8")
    assert "filled to the brim" in html


def html_files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".doctrees" not in path.parts
    }


def test_parallel_build_gives_the_same_html(site: Path, tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    sphinx_build(site, serial, "-d", str(tmp_path / "dt-serial"))
    sphinx_build(site, parallel, "-j", "2", "-d", str(tmp_path / "dt-parallel"))
    expected, found = html_files(serial), html_files(parallel)
    assert sorted(found) == sorted(expected)
    assert [name for name in expected if expected[name] != found[name]] == []


def test_clean_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    sphinx_build(site, first, "-d", str(tmp_path / "dt-first"), **epoch)
    shutil.rmtree(site / "reference")
    sphinx_build(site, second, "-d", str(tmp_path / "dt-second"), **epoch)
    expected, found = html_files(first), html_files(second)
    assert sorted(found) == sorted(expected)
    assert [name for name in expected if expected[name] != found[name]] == []
