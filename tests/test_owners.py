"""Owners beyond official providers and in-house packages: third-party providers whose
provider info lists no modules, and Airflow core (``apache-airflow``)."""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import cell_text, distributions_on_path
from sphinx.testing.util import SphinxTestApp

from sphinxext_etl import collect, model
from sphinxext_etl.collect import discovery, listing
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import Kind

#: Two provider distributions (dist-info and package), deliberately not on sys.path.
THIRD_PARTY = Path(__file__).parent / "fixtures" / "bare_provider"
THIRD_PARTY_PACKAGES = ("acme_bare_provider", "acme_partial_provider")
AIRFLOW_MAJOR = int(importlib.metadata.version("apache-airflow").partition(".")[0])


@pytest.fixture
def third_party_providers() -> Iterator[Path]:
    """Install the third-party fixture providers for one test, and forget them after."""
    with distributions_on_path(THIRD_PARTY, THIRD_PARTY_PACKAGES) as folder:
        yield folder


def rows(app: SphinxTestApp, section_id: str) -> dict[str, list[str]]:
    """Catalog rows under a section of the index page, by component name."""
    soup = BeautifulSoup(
        (Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    section = soup.find("section", id=section_id)
    assert isinstance(section, Tag), section_id
    found: dict[str, list[str]] = {}
    for row in section.select("table.etl-catalog-table tbody tr"):
        cells = [cell_text(td) for td in row.find_all("td")]
        found[cells[0].split()[0]] = cells
    return found


def published(app: SphinxTestApp) -> model.Catalog:
    return model.loads((Path(app.outdir) / "catalog.json").read_text(encoding="utf-8"))


def owner_named(name: str) -> discovery.Owner:
    owners = discovery.selected_providers(EtlConfig(providers=[name]))
    assert len(owners) == 1, name
    return owners[0]


# --- providers whose info lists nothing ---------------------------------------------------------


@pytest.mark.sphinx("html", testroot="owners")
def test_provider_listing_no_modules_is_walked_and_classified_by_base_class(
    third_party_providers: Path, app: SphinxTestApp
) -> None:
    app.build()
    found = rows(app, "third-party-providers")
    kinds = {name: cells[1] for name, cells in found.items() if cells[2].startswith("ACME Bare")}
    assert kinds == {
        "JobServiceHook": "Hook",
        "StartJobOperator": "Operator",
        "JobDoneSensor": "Sensor",
    }


@pytest.mark.sphinx("html", testroot="owners")
def test_connection_type_and_hook_name_come_from_connection_types(
    third_party_providers: Path, app: SphinxTestApp
) -> None:
    app.build()
    cell = rows(app, "third-party-providers")["JobServiceHook"][3]
    assert cell.startswith("acme_jobs") and "default: acme_jobs_default" in cell
    hook = published(app).by_path()["acme_bare_provider.api.JobServiceHook"]
    assert hook.connection is not None
    assert (hook.connection.conn_type, hook.connection.hook_name) == (
        "acme_jobs",
        "ACME Job Service",
    )


@pytest.mark.sphinx("html", testroot="owners")
def test_walked_provider_skips_private_modules(
    third_party_providers: Path, app: SphinxTestApp
) -> None:
    app.build()
    paths = set(published(app).by_path())
    assert "acme_bare_provider._internal.RetryJobOperator" not in paths
    assert "acme_partial_provider.operators._private.DraftReportOperator" not in paths


@pytest.mark.sphinx("html", testroot="owners")
def test_provider_listing_some_modules_gains_unlisted_component_folder_modules_only(
    third_party_providers: Path, app: SphinxTestApp
) -> None:
    app.build()
    partial = {c.name: c.kind for c in published(app).owned_by("acme-partial-provider")}
    assert partial == {
        "PublishReportOperator": Kind.OPERATOR,
        "ArchiveReportOperator": Kind.OPERATOR,
    }, "helpers/testing.py is outside operators/, hooks/, ... and is not read"


def test_third_party_providers_are_selected_by_their_distribution_name(
    third_party_providers: Path,
) -> None:
    assert owner_named("acme-bare-provider").version == "1.0.0"
    # METADATA spells it acme_partial_provider; names compare as packaging compares them.
    assert owner_named("ACME_Partial.Provider").name == "acme-partial-provider"


def test_official_provider_listing_no_modules_is_not_walked_whole() -> None:
    # common-compat lists no module: only its operators/, triggers/, ... folders are read,
    # not the whole package (whose other modules only fail to import, without components).
    owner = owner_named("common-compat")
    package = listing.provider_package(owner)
    modules = [m for m, _, _ in listing.discover_provider(owner).modules]
    assert modules, "common-compat has operators/ and triggers/ modules"
    for module in modules:
        parts = module.removeprefix(package).split(".")
        assert {"operators", "sensors", "hooks", "triggers", "transfers", "notifications"} & set(
            parts
        ), module


# --- Airflow core -------------------------------------------------------------------------------


def test_airflow_core_is_an_owner_selected_by_name() -> None:
    core = owner_named("apache-airflow")
    version = importlib.metadata.version("apache-airflow")
    assert core.core and not core.in_house
    assert (core.name, core.version, core.fingerprint) == (
        "apache-airflow",
        version,
        f"apache-airflow=={version}",
    )
    provider = listing.discover(core, skip_private=True).provider
    assert (provider.title, provider.package, provider.version) == (
        "Apache Airflow",
        "airflow",
        version,
    )


@pytest.mark.skipif(AIRFLOW_MAJOR < 3, reason="Airflow 2 ships operators in core")
@pytest.mark.sphinx("html", testroot="owners")
def test_airflow_3_core_ships_only_triggers(
    third_party_providers: Path, app: SphinxTestApp
) -> None:
    app.build()
    core = rows(app, "airflow-core")
    assert {name: cells[1] for name, cells in core.items()} == {
        "CallbackTrigger": "Trigger",
        "SuccessTrigger": "Trigger",
        "FailureTrigger": "Trigger",
    }
    assert all(cells[2].startswith("Apache Airflow") for cells in core.values())
    owners = {c.owner for c in published(app) if c.module.startswith("airflow.triggers.")}
    assert owners == {"apache-airflow"}


@pytest.mark.skipif(AIRFLOW_MAJOR >= 3, reason="Airflow 3 moved them to providers")
@pytest.mark.sphinx("html", testroot="owners")
def test_airflow_2_core_ships_operators_sensors_hooks_and_triggers(
    third_party_providers: Path, app: SphinxTestApp
) -> None:
    app.build()
    kinds = {name: cells[1] for name, cells in rows(app, "airflow-core").items()}
    expected = {
        "BashOperator": "Operator",
        "PythonOperator": "Operator",
        "EmailOperator": "Operator",
        "FileSensor": "Sensor",
        "SubprocessHook": "Hook",
        "DateTimeTrigger": "Trigger",
    }
    assert {name: kinds.get(name) for name in expected} == expected


def test_all_includes_airflow_core_while_it_ships_components() -> None:
    owners = discovery.selected_providers(EtlConfig(providers="all"))
    assert owners[0].name == "apache-airflow"


def fake_core(root: Path, files: dict[str, str]) -> Path:
    """An ``airflow`` package folder holding ``files`` (relative path -> source)."""
    for relative, text in files.items():
        path = root / "airflow" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "airflow"


SHIM = "from airflow.utils.deprecation_tools import add_deprecated_classes\n"
CLASS = "class Thing:\n    pass\n"


def test_core_modules_skip_base_private_and_shim_modules(tmp_path: Path) -> None:
    folder = fake_core(
        tmp_path,
        {
            "operators/__init__.py": SHIM,
            "operators/bash.py": CLASS,
            "operators/dummy.py": "from airflow.operators.empty import EmptyOperator\n",
            "operators/_internal.py": CLASS,
            "sensors/base.py": CLASS,
            "sensors/time_delta.py": CLASS,
            "hooks/base.py": CLASS,
            "triggers/testing.py": CLASS,
            "models/baseoperator.py": CLASS,
        },
    )
    assert list(discovery.core_modules(folder)) == [
        "airflow.operators.bash",
        "airflow.sensors.time_delta",
        "airflow.triggers.testing",
    ]


def test_all_leaves_out_airflow_core_without_components(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = fake_core(tmp_path, {"operators/__init__.py": SHIM, "hooks/base.py": CLASS})
    real = discovery.package_folder
    monkeypatch.setattr(
        discovery, "package_folder", lambda root: folder if root == "airflow" else real(root)
    )
    owners = discovery.selected_providers(EtlConfig(providers="all"))
    assert owners and "apache-airflow" not in {o.name for o in owners}


def test_owners_weigh_their_python_source_without_importing_it() -> None:
    """Workers start with the heaviest owner: the bytes of Python source it installs."""
    config = EtlConfig(providers=["amazon", "sqlite", "apache-airflow"], packages=["acme_platform"])
    owners = {owner.name: owner for owner in discovery.owners(config)}
    weights = {name: collect.weight(owner) for name, owner in owners.items()}
    amazon = weights["apache-airflow-providers-amazon"]
    assert amazon > 1_000_000 > weights["apache-airflow-providers-sqlite"] > 0
    assert weights["acme_platform"] > 0
    assert weights["apache-airflow"] > 0
    gone = discovery.Owner("acme-uninstalled-provider", "1", False, "acme.uninstalled:info", "")
    assert collect.weight(gone) == 0


def test_owners_carry_the_distribution_they_come_from(tmp_path: Path) -> None:
    """The fork server preloads what owners' distributions share: each owner names its own,
    found once, in discovery (an in-house package's import name is not its distribution's)."""
    assert owner_named("http").distribution == "apache-airflow-providers-http"
    assert owner_named("apache-airflow").distribution is None
    (tmp_path / "loose_pkg").mkdir()
    (tmp_path / "loose_pkg" / "__init__.py").write_text('__version__ = "2.5"\n', encoding="utf-8")
    shared = Path(__file__).parent / "fixtures" / "shared_libs"
    with (
        distributions_on_path(shared, ("acme_one",)),
        distributions_on_path(tmp_path, ("loose_pkg",)),
    ):
        config = EtlConfig(packages=["acme_platform", "acme_one", "loose_pkg"])
        found = {o.name: (o.version, o.distribution) for o in discovery.in_house_packages(config)}
    assert found == {
        "acme_platform": (importlib.metadata.version("acme-platform"), "acme-platform"),
        "acme_one": ("0.1", "acme-one"),
        # On sys.path without a distribution: the version its __init__ spells, and none.
        "loose_pkg": ("2.5", None),
    }
