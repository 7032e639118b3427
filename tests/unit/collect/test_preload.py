"""The libraries several owners share, found from the installed distributions' metadata, and
imported in the fork server without letting one that fails or hangs stop it."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from sphinxext_etl.collect import preload

HTTP = "apache-airflow-providers-http"
AMAZON = "apache-airflow-providers-amazon"
POSTGRES = "apache-airflow-providers-postgres"


def test_a_library_two_providers_need_is_shared_through_the_provider_they_share() -> None:
    # amazon needs the http provider, which needs requests and aiohttp.
    shared = preload.shared_libraries([HTTP, AMAZON])
    assert {"requests", "aiohttp"} <= set(shared)


def test_a_library_one_provider_needs_is_not_shared() -> None:
    assert "boto3" in preload._needs(AMAZON)
    assert "boto3" not in preload.shared_libraries([HTTP, AMAZON, POSTGRES])


def test_providers_and_airflow_are_never_preloaded() -> None:
    shared = preload.shared_libraries([HTTP, AMAZON, POSTGRES])
    assert not [name for name in shared if name.startswith("apache-airflow")]
    assert shared == preload.shared_libraries([POSTGRES, AMAZON, HTTP])


def test_an_owner_another_owner_needs_is_read_by_its_worker_not_preloaded() -> None:
    # As if an in-house package were a distribution named so.
    assert "requests" in preload.shared_libraries([HTTP, AMAZON])
    assert "requests" not in preload.shared_libraries([HTTP, AMAZON, "requests"])


def test_one_owner_shares_nothing() -> None:
    assert preload.shared_libraries([AMAZON]) == []


def test_the_roots_of_a_namespace_distribution_are_its_regular_packages() -> None:
    files = [
        PurePosixPath(p)
        for p in (
            "google/cloud/storage/__init__.py",
            "google/cloud/storage/blob.py",
            "google/cloud/storage/_helpers/__init__.py",
            "six.py",
            "_cffi_backend.py",
            "tests/__init__.py",
        )
    ]
    assert list(preload._top_modules(files)) == ["google.cloud.storage", "six"]


@pytest.fixture
def libraries(tmp_path: Path) -> Iterator[Path]:
    """A folder on sys.path for throwaway modules, removed with them afterwards."""
    sys.path.insert(0, str(tmp_path))
    before = set(sys.modules)
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in set(sys.modules) - before:
            del sys.modules[name]


def test_a_library_that_fails_is_skipped_and_the_rest_imported(libraries: Path) -> None:
    (libraries / "etl_fine.py").write_text("VALUE = 1\n")
    (libraries / "etl_broken.py").write_text("raise RuntimeError('no licence server')\n")
    (libraries / "etl_noisy.py").write_text("print('imported!')\n")
    imported = preload.import_all(["etl_broken", "etl_fine", "etl_missing", "etl_noisy"])
    assert imported == ["etl_fine", "etl_noisy"]


@pytest.mark.skipif(not hasattr(preload.signal, "SIGALRM"), reason="no alarm signal")
def test_a_library_that_hangs_stops_the_preload_at_its_budget(libraries: Path) -> None:
    (libraries / "etl_first.py").write_text("")
    (libraries / "etl_hangs.py").write_text("import time\nwhile True:\n    time.sleep(0.1)\n")
    (libraries / "etl_after.py").write_text("")
    started = time.monotonic()
    imported = preload.import_all(["etl_first", "etl_hangs", "etl_after"], budget=1)
    assert imported == ["etl_first"]
    assert time.monotonic() - started < 30
