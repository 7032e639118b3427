"""A one-operator in-house package, ``harbour``, and a Sphinx build of a site over it in a
process of its own (as on a developer's machine): for tests of what a rebuild does."""

from __future__ import annotations

import os
import subprocess
import sys
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


def write_package(root: Path) -> Path:
    """``root/pkgs/harbour``, whose ShipOperator's summary is "Ship cargo to a port."."""
    package = root / "pkgs" / "harbour"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Harbour operators."""\n')
    (package / "ship.py").write_text(OPERATOR.format(summary="Ship cargo to a port."))
    return package


def write_source(root: Path, *settings: str, index: str = "reference/index") -> Path:
    """``root/src``: a site over ``harbour`` whose conf.py adds ``settings`` (lines of
    Python) and whose index's toctree lists ``index`` (a newline between several)."""
    src = root / "src"
    src.mkdir()
    conf = ["extensions = ['sphinxext_etl']", "etl_providers = []", "etl_packages = ['harbour']"]
    (src / "conf.py").write_text("\n".join([*conf, *settings]) + "\n")
    entries = "".join(f"   {entry}\n" for entry in index.split("\n"))
    (src / "index.rst").write_text(f"Index\n=====\n\n.. toctree::\n\n{entries}")
    return src


def reread(log: str) -> set[str]:
    """Documents the build read, from Sphinx's verbose 'reading sources... [NN%] doc' lines
    (``-N``: no colour codes, which Sphinx adds when ``CI`` is set)."""
    return {
        line.rsplit(" ", 1)[-1]
        for line in log.splitlines()
        if line.startswith("reading sources... [")
    }


def build(src: Path, root: Path) -> str:
    """Build ``src`` into ``root/out`` with ``harbour`` importable; Sphinx's verbose output."""
    env = {**os.environ, "PYTHONPATH": str(root / "pkgs")}
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-N", "-b", "html", "-v", str(src), str(root / "out")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout
