"""Discovery: which providers, in-house packages and Airflow core exist, and what they are.

Listing owners imports nothing (entry points, distribution metadata and source files only),
so a warm build can decide from the cache alone. Listing an owner's modules is
:mod:`.listing`'s job, which may import a provider's info module, and only on a cache miss.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sphinxext_etl.collect.ast_facts import class_assignments, parse_file
from sphinxext_etl.collect.modules import find_spec
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import CORE_NAME, PROVIDER_PREFIX, canonical_name

PROVIDER_GROUP = "apache_airflow_provider"

#: Airflow itself, documented as one more owner: the operators, sensors, hooks and triggers
#: that ship inside ``apache-airflow`` (all of them on Airflow 2, a few triggers on Airflow 3).
CORE_PACKAGE = "airflow"
#: Airflow 3 splits the core into ``apache-airflow-core``; either carries the version.
_CORE_DISTRIBUTIONS = (CORE_NAME, "apache-airflow-core")
CORE_FOLDERS = ("operators", "sensors", "hooks", "triggers")


@dataclass(frozen=True)
class Owner:
    """A provider distribution or in-house package, identified without importing it."""

    name: str
    version: str
    in_house: bool
    #: Provider: the ``module:attr`` of ``get_provider_info``. In-house: the package folder.
    locator: str
    #: Changes whenever the owner's code may have changed (version, or source mtimes).
    fingerprint: str
    #: Airflow itself (``locator`` is then the ``airflow`` package folder).
    core: bool = False
    #: The installed distribution it is (a provider) or comes from (a package); None for
    #: Airflow itself and for a package no distribution maps (a folder on ``sys.path``).
    distribution: str | None = None


def _spellings(requested: str) -> tuple[str, ...]:
    """The installed names ``requested`` may mean: itself (``apache-airflow``, a third-party
    ``acme-bare-provider``), then the official provider of that short name (``postgres``)."""
    name = canonical_name(requested)
    return (name,) if name.startswith(PROVIDER_PREFIX) else (name, PROVIDER_PREFIX + name)


def installed_providers() -> dict[str, Owner]:
    """Every installed provider distribution, by (canonical) distribution name."""
    found: dict[str, Owner] = {}
    for entry_point in importlib.metadata.entry_points(group=PROVIDER_GROUP):
        dist = entry_point.dist
        if dist is None:
            continue
        name = canonical_name(dist.metadata["Name"])
        found[name] = Owner(
            name=name,
            version=dist.version,
            in_house=False,
            locator=entry_point.value,
            fingerprint=f"{name}=={dist.version}",
            distribution=name,
        )
    return dict(sorted(found.items()))


def installed_version(distribution: str) -> str:
    """The installed version of ``distribution``, or ``""`` when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def core_owner() -> Owner | None:
    """Airflow itself, or None when it is not installed."""
    version = next(filter(None, map(installed_version, _CORE_DISTRIBUTIONS)), "")
    folder = package_folder(CORE_PACKAGE)
    if not version or folder is None:
        return None
    return Owner(CORE_NAME, version, False, str(folder), f"{CORE_NAME}=={version}", core=True)


def selected_providers(config: EtlConfig, problems: list[str] | None = None) -> list[Owner]:
    """The providers ``etl_providers`` asks for, Airflow core included; unknown names are
    skipped (and described in ``problems``). ``"all"`` takes core only when it still ships
    components."""
    installed = installed_providers()
    core = core_owner()
    if config.all_providers:
        # Parsing stops at the first module with a class: a warm build stays fast.
        if core is not None and any(core_modules(Path(core.locator))):
            return [core, *installed.values()]
        return list(installed.values())
    if core is not None:
        installed = {core.name: core, **installed}
    chosen: list[Owner] = []
    for requested in config.providers:
        name = next((n for n in _spellings(requested) if n in installed), None)
        if name is not None:
            chosen.append(installed[name])
        elif problems is not None:
            problems.append(
                f"etl_providers names {requested!r}, but no such provider is installed "
                f"(installed: {', '.join(installed) or 'none'})"
            )
    return chosen


def package_folder(root: str) -> Path | None:
    """The folder of an importable package, found without executing it."""
    spec = find_spec(root)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def package_modules(root: str, folder: Path, *, skip_private: bool) -> Iterator[tuple[str, Path]]:
    """``(dotted module, file)`` for every module below a package, sorted."""
    for path in sorted(folder.rglob("*.py")):
        parts = list(path.relative_to(folder).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if any(not p.isidentifier() for p in parts):
            continue
        if skip_private and any(p.startswith("_") for p in parts):
            continue
        yield ".".join([root, *parts]), path


def _files_fingerprint(root: str, folder: Path) -> str:
    """The package's files and their contents (not modification times: a CI checkout gives
    every file a new one, and the restored cache must still hold)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(folder.rglob("*.py")):
        digest.update(f"{path.relative_to(folder)}\n".encode())
        digest.update(path.read_bytes())
    return f"{root}@{digest.hexdigest()[:16]}"


def in_house_packages(config: EtlConfig, problems: list[str] | None = None) -> list[Owner]:
    """The packages ``etl_packages`` names; one that cannot be found is skipped (and
    described in ``problems``)."""
    owners: list[Owner] = []
    for root in config.packages:
        folder = package_folder(root)
        if folder is None:
            if problems is not None:
                problems.append(f"etl_packages names {root!r}, which is not an importable package")
            continue
        version, distribution = _package_version(root, folder)
        fingerprint = _files_fingerprint(root, folder)
        owners.append(Owner(root, version, True, str(folder), fingerprint, False, distribution))
    return owners


def distribution_names(root: str) -> Iterator[str]:
    """Its own name first (most are named so): mapping every installed one is slow."""
    yield root
    yield from importlib.metadata.packages_distributions().get(root, [])


def _package_version(root: str, folder: Path) -> tuple[str, str | None]:
    """The version and name of the package's distribution, else a literal ``__version__`` in
    its ``__init__`` and None (editable installs often have no distribution mapping)."""
    for dist_name in distribution_names(root):
        try:
            dist = importlib.metadata.distribution(dist_name)
        except importlib.metadata.PackageNotFoundError:
            continue
        return dist.version, dist.metadata["Name"] or dist_name
    return _literal_version(folder / "__init__.py"), None


def _literal_version(init: Path) -> str:
    tree = parse_file(str(init))
    value = class_assignments(tree).get("__version__") if tree else None
    return str(value.value) if isinstance(value, ast.Constant) else ""


def owners(config: EtlConfig, problems: list[str] | None = None) -> list[Owner]:
    """Every owner the configuration selects; what it names but cannot be found is described
    in ``problems`` (an ``etl.config`` warning for the caller)."""
    return [*selected_providers(config, problems), *in_house_packages(config, problems)]


def core_modules(folder: Path) -> Iterator[str]:
    """Public modules of Airflow's core component packages that define classes of their own:
    not the ``base`` modules of the base classes, nor deprecation shims that only re-export.
    Read from source, so that listing owners stays import-free."""
    for name in CORE_FOLDERS:
        if not (folder / name).is_dir():
            continue
        for module, path in package_modules(
            f"{CORE_PACKAGE}.{name}", folder / name, skip_private=True
        ):
            if module.rpartition(".")[2] != "base" and _defines_classes(path):
                yield module


def _defines_classes(path: Path) -> bool:
    tree = parse_file(str(path))
    return tree is not None and any(isinstance(node, ast.ClassDef) for node in tree.body)
