"""Discovery: which providers, in-house packages and Airflow core exist, and their modules.

Listing owners imports nothing (entry points, distribution metadata and source files only),
so a warm build can decide from the cache alone. Listing a provider's modules calls its
``get_provider_info()``, which happens only when the cache misses.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinxext_etl.collect.connection_form import behaviour_facts, declared_field_facts
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import (
    CORE_NAME,
    PROVIDER_PREFIX,
    Connection,
    Discovery,
    Integration,
    Kind,
    Provider,
    canonical_name,
)

PROVIDER_GROUP = "apache_airflow_provider"
#: Bump when discovery lists different modules for an unchanged owner, so that cached
#: records (keyed on the owner's version) are read again.
LISTING_VERSION = 2

#: provider-info keys that list modules, and the kind they hint at.
_MODULE_KEYS: dict[str, Kind] = {
    "operators": Kind.OPERATOR,
    "sensors": Kind.SENSOR,
    "hooks": Kind.HOOK,
    "triggers": Kind.TRIGGER,
}
#: Folders of a provider package that conventionally hold components, at any depth
#: (``aws/operators`` in the amazon provider).
_COMPONENT_FOLDERS = frozenset(
    {"operators", "sensors", "hooks", "triggers", "transfers", "notifications"}
)

#: Airflow itself, documented as one more owner: the operators, sensors, hooks and triggers
#: that ship inside ``apache-airflow`` (all of them on Airflow 2, a few triggers on Airflow 3).
CORE_TITLE = "Apache Airflow"
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


def core_owner() -> Owner | None:
    """Airflow itself, or None when it is not installed."""
    version = ""
    for dist_name in _CORE_DISTRIBUTIONS:
        try:
            version = importlib.metadata.version(dist_name)
            break
        except importlib.metadata.PackageNotFoundError:
            continue
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
    try:
        spec = importlib.util.find_spec(root)
    except (ImportError, ValueError):
        return None
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
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(folder.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)}:{stat.st_mtime_ns}:{stat.st_size}\n".encode())
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
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return ""
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    return ""


def owners(config: EtlConfig, problems: list[str] | None = None) -> list[Owner]:
    """Every owner the configuration selects; what it names but cannot be found is described
    in ``problems`` (an ``etl.config`` warning for the caller)."""
    return [*selected_providers(config, problems), *in_house_packages(config, problems)]


# --- listing modules (may import the provider's info module) ---------------------------------


def provider_info(owner: Owner) -> dict[str, Any]:
    """Call the provider's ``get_provider_info()`` entry point."""
    entry_point = importlib.metadata.EntryPoint(
        name="provider_info", value=owner.locator, group=PROVIDER_GROUP
    )
    info = entry_point.load()()
    return info if isinstance(info, dict) else {}


def provider_package(owner: Owner) -> str:
    """The import package of a provider: the package of its ``get_provider_info`` module."""
    module = owner.locator.partition(":")[0]
    return module.rpartition(".")[0] or module


def provider_from_info(owner: Owner, info: dict[str, Any]) -> Provider:
    return Provider(
        name=owner.name,
        title=str(info.get("name", "")),
        version=owner.version,
        description=str(info.get("description", "")).strip(),
        in_house=False,
        package=provider_package(owner),
        integrations=tuple(
            Integration(
                name=str(i.get("integration-name", "")),
                external_doc_url=str(i.get("external-doc-url", "")),
                how_to_guide=tuple(i.get("how-to-guide", ()) or ()),
                tags=tuple(i.get("tags", ()) or ()),
            )
            for i in info.get("integrations", ()) or ()
        ),
    )


def discover(owner: Owner, *, skip_private: bool) -> Discovery:
    """The owner and every module (and listed class) to read for it."""
    if owner.in_house:
        return discover_package(owner, skip_private=skip_private)
    if owner.core:
        return discover_core(owner)
    return discover_provider(owner)


def discover_provider(owner: Owner) -> Discovery:
    """The provider, every module and class its provider info lists, and the modules it
    leaves out (see :func:`unlisted_modules`); their classes are classified by base class."""
    info = provider_info(owner)
    found = Discovery(providers=[provider_from_info(owner, info)])
    for key, kind in _MODULE_KEYS.items():
        for group in info.get(key, ()) or ():
            integration = str(group.get("integration-name", ""))
            found.modules.extend(
                (owner.name, module, kind, integration)
                for module in group.get("python-modules", ())
            )
    for transfer in info.get("transfers", ()) or ():
        module = transfer.get("python-module")
        if module:
            found.transfers.append(
                (
                    owner.name,
                    module,
                    str(transfer.get("source-integration-name", "")),
                    str(transfer.get("target-integration-name", "")),
                )
            )
            found.modules.append((owner.name, module, Kind.TRANSFER, ""))
    for path in info.get("notifications", ()) or ():
        found.classes.append((owner.name, str(path), Kind.NOTIFIER))
    found.modules.extend(
        (owner.name, module, None, "")
        for module in unlisted_modules(owner, {m for _, m, _, _ in found.modules})
    )
    found.connections = declared_connections(info)
    return found


def unlisted_modules(owner: Owner, listed: set[str]) -> list[str]:
    """Public modules of the provider's package that its info does not list. A third-party
    provider that lists none gets all of them; otherwise only those in conventional component
    folders count, because Airflow's own providers list every component module (one that
    lists none, like common-compat, has no components, only modules that may fail to import)."""
    package = provider_package(owner)
    folder = package_folder(package) if package else None
    if folder is None:
        return []
    whole = not listed and not owner.name.startswith(PROVIDER_PREFIX)
    return [
        module
        for module, _ in package_modules(package, folder, skip_private=True)
        if module not in listed
        and (whole or _COMPONENT_FOLDERS.intersection(module[len(package) :].split(".")))
    ]


def declared_connections(info: dict[str, Any]) -> dict[str, Connection]:
    """``hook class path -> Connection`` as the provider info's ``connection-types`` declare
    them: connection type, hook name, and the form where declared (``conn-fields``,
    ``ui-field-behaviour``)."""
    declared: dict[str, Connection] = {}
    for connection in info.get("connection-types", ()) or ():
        hook = str(connection.get("hook-class-name") or "")
        if not hook:
            continue
        form = declared_field_facts(connection.get("conn-fields") or {})
        form.update(behaviour_facts(connection.get("ui-field-behaviour") or {}))
        declared[hook] = Connection(
            conn_type=str(connection.get("connection-type") or ""),
            hook_name=str(connection.get("hook-name") or ""),
            **form,
        )
    return declared


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
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return False
    return any(isinstance(node, ast.ClassDef) for node in tree.body)


def discover_core(owner: Owner) -> Discovery:
    """Airflow itself and the modules of its core operators, sensors, hooks and triggers."""
    try:
        description = importlib.metadata.metadata(CORE_NAME)["Summary"] or ""
    except importlib.metadata.PackageNotFoundError:
        description = ""
    provider = Provider(
        name=owner.name,
        title=CORE_TITLE,
        version=owner.version,
        description=description,
        in_house=False,
        package=CORE_PACKAGE,
    )
    found = Discovery(providers=[provider])
    found.modules.extend(
        (owner.name, module, None, "") for module in core_modules(Path(owner.locator))
    )
    return found


def discover_package(owner: Owner, *, skip_private: bool) -> Discovery:
    """An in-house package and every module below it."""
    folder = Path(owner.locator)
    description = ""
    init = folder / "__init__.py"
    if init.is_file():
        try:
            description = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        except SyntaxError:
            description = ""
    provider = Provider(
        name=owner.name,
        title=owner.name,
        version=owner.version,
        description=description,
        in_house=True,
        package=owner.name,
    )
    found = Discovery(providers=[provider])
    found.modules.extend(
        (owner.name, module, None, "")
        for module, _ in package_modules(owner.name, folder, skip_private=skip_private)
    )
    return found
