"""Catalog pages follow the installed code across incremental rebuilds (each build a process)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

OPERATOR = '''
from airflow.sdk import BaseOperator


class ShipOperator(BaseOperator):
    """{summary}

    :param port: where to ship to.
    """

    template_fields = ("port",)

    def __init__(self, *, port: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.port = port
'''


def write_site(root: Path) -> tuple[Path, Path]:
    package = root / "pkgs" / "harbour"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Harbour operators."""\n')
    (package / "ship.py").write_text(OPERATOR.format(summary="Ship cargo to a port."))
    src = root / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        textwrap.dedent("""
        extensions = ["sphinxext_etl"]
        etl_providers = []
        etl_packages = ["harbour"]
        etl_generate_reference = False
    """)
    )
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   catalog\n   other\n")
    (src / "catalog.rst").write_text("Catalog\n=======\n\n.. operator-catalog::\n")
    (src / "other.rst").write_text("Other\n=====\n\nNo catalog here.\n")
    return package, src


def build(src: Path, root: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(root / "pkgs")}
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-N", "-b", "html", "-v", str(src), str(root / "out")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout


def reread(log: str) -> set[str]:
    """Documents the build read, from Sphinx's verbose 'reading sources... [NN%] doc' lines
    (``-N``: no colour codes, which Sphinx adds when ``CI`` is set)."""
    return {
        line.rsplit(" ", 1)[-1]
        for line in log.splitlines()
        if line.startswith("reading sources... [")
    }


def test_catalog_page_is_reread_only_when_its_output_changes(tmp_path: Path) -> None:
    package, src = write_site(tmp_path)
    assert reread(build(src, tmp_path)) == {"index", "catalog", "other"}
    assert reread(build(src, tmp_path)) == set(), "a no-change rebuild reads nothing"

    (package / "ship.py").write_text(OPERATOR.format(summary="Ship cargo to a harbour."))
    assert reread(build(src, tmp_path)) == {"catalog"}
    html = (tmp_path / "out" / "catalog.html").read_text()
    assert "Ship cargo to a harbour." in html

    # A docstring change the catalog doesn't show re-reads nothing.
    text = (package / "ship.py").read_text().replace("where to ship to.", "the port's code.")
    (package / "ship.py").write_text(text)
    assert reread(build(src, tmp_path)) == set()
