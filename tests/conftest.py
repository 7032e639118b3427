"""Shared test set-up: Sphinx's testing fixtures, test roots, and an isolated AIRFLOW_HOME."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

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
