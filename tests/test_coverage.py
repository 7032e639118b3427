"""Documentation coverage: the table, and a threshold that fails a ``-W`` build."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.cmd.build import build_main

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-coverage"


@pytest.mark.sphinx("html", testroot="coverage")
def test_table_shows_documented_share_per_package(app: SphinxTestApp) -> None:
    app.build()
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = [
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in soup.select("table.etl-coverage tbody tr")
    ]
    # 12 classes, one without a docstring; 8 parameters (**kwargs aside), one undocumented.
    assert rows == [["rules_pkg", "11 / 12 (92%)", "7 / 8 (88%)"]]
    missing = [li.get_text() for li in soup.select("li")]
    assert "UndocumentedOperator" in missing
    assert "UndocumentedParamOperator(forgotten)" in missing


def build(tmp_path: Path, *options: str) -> int:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source)
    return build_main(["-q", "-W", "-b", "html", *options, str(source), str(tmp_path / "out")])


def test_build_passes_without_threshold(tmp_path: Path) -> None:
    assert build(tmp_path) == 0


def test_threshold_above_coverage_fails_a_warnings_as_errors_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(tmp_path, "-D", "etl_coverage_threshold=90") != 0
    assert "rules_pkg: 87.5% of parameters are documented" in capsys.readouterr().err


def test_threshold_at_or_below_coverage_passes(tmp_path: Path) -> None:
    assert build(tmp_path, "-D", "etl_coverage_threshold=85") == 0
