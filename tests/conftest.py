"""Shared test set-up: Sphinx's testing fixtures, test roots, and an isolated AIRFLOW_HOME."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

# Airflow writes config and logs under AIRFLOW_HOME the first time it is imported.
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="etl-airflow-home-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
# One introspection cache for the whole session: test roots read it through etl_cache_dir.
os.environ.setdefault("ETL_TEST_CACHE", tempfile.mkdtemp(prefix="etl-cache-"))

TESTS = Path(__file__).parent
# The deliberately broken package lives here, never installed.
sys.path.insert(0, str(TESTS / "fixtures"))

pytest_plugins = ("sphinx.testing.fixtures",)

collect_ignore = ["roots", "fixtures"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return TESTS / "roots"


@contextlib.contextmanager
def distributions_on_path(folder: Path, packages: tuple[str, ...]) -> Iterator[Path]:
    """Make the fixture distributions in ``folder`` (dist-info and package side by side)
    installed for one test, and forget them, and every module of ``packages``, after."""
    sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    try:
        yield folder
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m.partition(".")[0] in packages]:
            del sys.modules[name]
        importlib.invalidate_caches()


def parameters(soup: BeautifulSoup) -> dict[str, BeautifulSoup]:
    """A component page's parameters by name: each entry's line (name, type, default,
    badges) and its description, as one fragment."""
    entries: dict[str, BeautifulSoup] = {}
    for term in soup.select("dl.etl-parameters > dt"):
        description = term.find_next_sibling("dd")
        entries[term.code.get_text(strip=True)] = BeautifulSoup(
            str(term) + str(description), "html.parser"
        )
    return entries


def cell_text(cell: Tag) -> str:
    """A table cell's text as a reader sees it: its paragraphs and lines joined by one space,
    and an import path whole, though its HTML has a ``<wbr>`` after each dot."""
    for wbr in cell.find_all("wbr"):
        wbr.decompose()
    cell.smooth()
    return " ".join(cell.get_text(" ", strip=True).split())
