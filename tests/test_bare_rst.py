"""The benchmarks' bare project says what the extension's pages say: built by Sphinx alone from
the reST ``benchmarks/bare_rst.py`` writes, every page's text is the extension build's."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "bare_rst.py"


def bare_rst() -> Any:
    spec = importlib.util.spec_from_file_location("bare_rst", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def texts(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in folder.rglob("*.txt")
    }


@pytest.mark.sphinx("text", testroot="reference")
def test_the_bare_project_builds_the_same_text_without_the_extension(
    app: Any, tmp_path: Path
) -> None:
    app.build()
    bare = tmp_path / "bare"
    writer = bare_rst()
    assert writer.write(Path(app.doctreedir), bare) > 70
    assert not writer.unknown, "node types without a rule"
    (bare / "conf.py").write_text('extensions = ["sphinx.ext.graphviz"]\n', encoding="utf-8")
    plain = Sphinx(bare, bare, tmp_path / "out", tmp_path / "doctrees", "text", status=None)
    plain.build()

    assert "sphinxext_etl" not in plain.extensions
    expected, found = texts(Path(app.outdir)), texts(tmp_path / "out")
    assert found.keys() == expected.keys()
    assert [name for name in expected if found[name] != expected[name]] == []
