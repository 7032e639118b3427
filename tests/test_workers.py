"""Owners are read in worker processes: modules that exit, crash, hang or patch globals when
imported cost a located warning, never the build, and the Sphinx process imports none of them."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext_etl import collect
from sphinxext_etl.build.data import data_of
from sphinxext_etl.collect import discovery, workers
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import Catalog, Component, Kind, Origin

ROOTS = Path(__file__).parent / "roots"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile_pkg"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    """One build of the hostile package (every build of it waits out the hanging module)."""
    srcdir = tmp_path_factory.mktemp("hostile") / "src"
    shutil.copytree(ROOTS / "test-hostile", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, status=io.StringIO(), warning=io.StringIO())
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def warnings_of(app: SphinxTestApp) -> list[str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())  # type: ignore[attr-defined]
    return [line for line in text.splitlines() if "WARNING" in line]


def component(app: SphinxTestApp, path: str) -> Component:
    catalog: Catalog = data_of(app.env).catalog
    return catalog.by_path()[path]


def test_a_module_that_exits_warns_at_its_file(hostile: SphinxTestApp) -> None:
    assert (
        f"{HOSTILE / 'exits.py'}:1: WARNING: cannot import module hostile_pkg.exits: "
        "worker process died (exit code 3) while importing it; "
        "its components were read statically from source [etl.import]"
    ) in warnings_of(hostile)


def test_a_module_that_segfaults_warns_at_the_crashing_line(hostile: SphinxTestApp) -> None:
    assert (
        f"{HOSTILE / 'segfaults.py'}:31: WARNING: cannot import module hostile_pkg.segfaults: "
        "worker process died (exit code -11, SIGSEGV) while importing it; "
        "its components were read statically from source [etl.import]"
    ) in warnings_of(hostile)


def test_a_module_that_hangs_times_out_at_the_hanging_line(hostile: SphinxTestApp) -> None:
    assert (
        f"{HOSTILE / 'hangs.py'}:31: WARNING: cannot import module hostile_pkg.hangs: "
        "timed out after 5 s while importing it; "
        "its components were read statically from source [etl.import]"
    ) in warnings_of(hostile)


def test_the_build_goes_on_with_exactly_those_warnings(hostile: SphinxTestApp) -> None:
    assert len(warnings_of(hostile)) == 3
    assert (Path(hostile.outdir) / "reference" / "hostile-pkg" / "ConveyorHook.html").is_file()


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("hostile_pkg.exits.DockDoorSensor", Kind.SENSOR),
        ("hostile_pkg.hangs.WaitForForkliftOperator", Kind.OPERATOR),
        ("hostile_pkg.segfaults.ConveyorHook", Kind.HOOK),
    ],
)
def test_classes_of_hostile_modules_are_read_from_source(
    hostile: SphinxTestApp, path: str, kind: Kind
) -> None:
    found = component(hostile, path)
    assert (found.kind, found.origin) == (kind, Origin.STATIC)
    assert found.summary and found.source_line > 1


def test_the_ordinary_module_beside_them_is_read_live(hostile: SphinxTestApp) -> None:
    counter = component(hostile, "hostile_pkg.operators.CountPalletsOperator")
    assert counter.origin is Origin.LIVE
    assert counter.summary == "Count the pallets waiting in a loading bay."
    assert counter.template_fields == ("bay",)


def test_a_module_that_patches_globals_does_not_reach_another_owner(
    hostile: SphinxTestApp,
) -> None:
    # tampers.py replaces inspect.cleandoc in the process that imports it (etl_workers = 1).
    assert component(hostile, "hostile_pkg.tampers.RelabelOperator").summary == "Tampered with."
    sweep = component(hostile, "calm_pkg.operators.SweepFloorOperator")
    assert sweep.origin is Origin.LIVE
    assert sweep.summary == "Sweep the warehouse floor after the last shift."


def test_the_sphinx_process_imports_none_of_the_owners_modules(hostile: SphinxTestApp) -> None:
    assert not {name.partition(".")[0] for name in sys.modules} & {"hostile_pkg", "calm_pkg"}


def test_a_worker_reads_an_owner_as_read_owner_does_in_process() -> None:
    config = EtlConfig(providers=["sqlite"], packages=["broken_pkg"])
    owners = discovery.owners(config)
    by_worker = dict(workers.read_records(owners, config))
    for owner in owners:
        assert by_worker[owner] == collect.read_owner(owner, config)


QUIET = {
    # Largest first: padded so that it is read before calm_pkg, by the one worker.
    "__init__.py": '"""Modules that end or outlive their worker quietly."""\n' + "#\n" * 4000,
    "leaves.py": "import os\n\n\nclass LeaveOperator:\n    '''Leave early.'''\n\n\nos._exit(0)\n",
    "lingers.py": (
        "import threading\nimport time\n\n\nclass LingerOperator:\n    '''Linger on.'''\n\n\n"
        "threading.Thread(target=time.sleep, args=(120,)).start()\n"
    ),
}


def test_a_worker_that_exits_with_code_0_or_leaves_a_thread_running_holds_nothing_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "quiet_pkg").mkdir()
    for name, text in QUIET.items():
        (tmp_path / "quiet_pkg" / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    config = EtlConfig(
        providers=[], packages=["quiet_pkg", "calm_pkg"], workers=1, import_timeout=1
    )
    started = time.monotonic()
    records = {
        owner.name: record
        for owner, record in workers.read_records(discovery.owners(config), config)
    }
    # The worker that read quiet_pkg again (leaves.py from source) left a thread running: the
    # next owner's worker did not wait for it.
    assert time.monotonic() - started < 60
    (failure,) = records["quiet_pkg"].failures
    assert (failure.module, failure.error) == (
        "quiet_pkg.leaves",
        "worker process died (exit code 0) while importing it",
    )
    assert records["calm_pkg"].components[0].origin is Origin.LIVE


# --- whole builds in subprocesses ---------------------------------------------------------------


def sphinx_build(source: Path, out: Path, *args: str, **env: str) -> None:
    """A cold build: no cache shared with other tests, a fresh doctree folder."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-N", "-q", "-b", "html", *args, str(source), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "ETL_TEST_CACHE": "", "SOURCE_DATE_EPOCH": "1700000000", **env},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def html_files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".doctrees" not in path.parts
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    shutil.copytree(ROOTS / "test-modes", source)
    return source


def test_a_cold_build_imports_no_provider_or_in_house_module(site: Path, tmp_path: Path) -> None:
    record = tmp_path / "modules.json"
    sphinx_build(
        site, tmp_path / "html", "-d", str(tmp_path / "dt"), ETL_RECORD_MODULES=str(record)
    )
    assert json.loads(record.read_text()) == []
    assert (tmp_path / "html" / "reference" / "depot-ops" / "RestockOperator.html").is_file()


def test_serial_parallel_and_single_worker_builds_give_the_same_html(
    site: Path, tmp_path: Path
) -> None:
    builds = {
        "serial": (),
        "parallel": ("-j", "2"),
        "one-worker": ("-D", "etl_workers=1"),
    }
    found = {}
    for name, args in builds.items():
        sphinx_build(site, tmp_path / name, "-d", str(tmp_path / f"dt-{name}"), *args)
        found[name] = html_files(tmp_path / name)
    expected = found.pop("serial")
    for name, files in found.items():
        assert sorted(files) == sorted(expected), name
        assert [f for f in expected if expected[f] != files[f]] == [], name


# --- libraries the owners share, imported once in the fork server ------------------------------

SHARED = Path(__file__).parent / "fixtures" / "shared_libs"


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    """A site over two in-house packages whose distributions both need ``beacon`` and
    ``sinking`` (installed beside them)."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["sphinxext_etl"]\netl_providers = []\n'
        'etl_packages = ["acme_one", "acme_two"]\n'
    )
    (source / "index.rst").write_text(
        "Acme\n====\n\n.. operator-catalog::\n\n.. toctree::\n\n   reference/index\n"
    )
    shutil.copytree(SHARED, tmp_path / "site-packages")
    return source


def test_a_library_two_owners_need_is_imported_once_for_every_worker(
    acme: Path, tmp_path: Path
) -> None:
    beacon = tmp_path / "beacon.log"
    sphinx_build(
        acme,
        tmp_path / "html",
        "-W",
        "-D",
        "etl_workers=1",
        PYTHONPATH=str(tmp_path / "site-packages"),
        ETL_TEST_BEACON=str(beacon),
    )
    # Both workers import it with their module, forked from the fork server that did.
    assert len(beacon.read_text().split()) == 1
    for package, name in (("acme-one", "LoadOneOperator"), ("acme-two", "LoadTwoOperator")):
        assert (tmp_path / "html" / "reference" / package / f"{name}.html").is_file()


def test_a_library_that_ends_the_fork_server_costs_the_build_nothing(
    acme: Path, tmp_path: Path
) -> None:
    sphinx_build(
        acme,
        tmp_path / "html",
        "-W",
        "-D",
        "etl_workers=2",
        PYTHONPATH=str(tmp_path / "site-packages"),
        ETL_TEST_SINKING="1",
    )
    page = (tmp_path / "html" / "reference" / "acme-two" / "LoadTwoOperator.html").read_text()
    assert "Load the two warehouse." in page
