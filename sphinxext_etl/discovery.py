"""Discovery: which providers and in-house packages exist, and which modules they hold.

Listing owners imports nothing (entry points and distribution metadata only), so a warm
build can decide from the cache alone. Listing a provider's modules calls its
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

from sphinx.util import logging

from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import PROVIDER_PREFIX, Discovery, Integration, Kind, Provider

logger = logging.getLogger(__name__)

PROVIDER_GROUP = "apache_airflow_provider"

#: provider-info keys that list modules, and the kind they hint at.
_MODULE_KEYS: dict[str, Kind] = {
    "operators": Kind.OPERATOR,
    "sensors": Kind.SENSOR,
    "hooks": Kind.HOOK,
    "triggers": Kind.TRIGGER,
}


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


def _normalise(name: str) -> str:
    name = name.strip().lower().replace("_", "-")
    return name if name.startswith(PROVIDER_PREFIX) else PROVIDER_PREFIX + name


def installed_providers() -> dict[str, Owner]:
    """Every installed provider distribution, by distribution name."""
    found: dict[str, Owner] = {}
    for entry_point in importlib.metadata.entry_points(group=PROVIDER_GROUP):
        dist = entry_point.dist
        if dist is None:
            continue
        name = dist.metadata["Name"].lower()
        found[name] = Owner(
            name=name,
            version=dist.version,
            in_house=False,
            locator=entry_point.value,
            fingerprint=f"{name}=={dist.version}",
        )
    return dict(sorted(found.items()))


def selected_providers(config: EtlConfig) -> list[Owner]:
    """The providers ``etl_providers`` asks for; unknown names warn and are skipped."""
    installed = installed_providers()
    if config.all_providers:
        return list(installed.values())
    chosen: list[Owner] = []
    for requested in config.providers:
        name = _normalise(requested)
        if name in installed:
            chosen.append(installed[name])
        else:
            logger.warning(
                "etl_providers names %r, but no such provider is installed (installed: %s)",
                requested,
                ", ".join(installed) or "none",
                type="etl",
                subtype="config",
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
    """``(dotted module, file)`` for every module below an in-house package, sorted."""
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


def in_house_packages(config: EtlConfig) -> list[Owner]:
    """The packages ``etl_packages`` names; one that cannot be found warns and is skipped."""
    owners: list[Owner] = []
    for root in config.packages:
        folder = package_folder(root)
        if folder is None:
            logger.warning(
                "etl_packages names %r, which is not an importable package",
                root,
                type="etl",
                subtype="config",
            )
            continue
        owners.append(
            Owner(
                root,
                _package_version(root, folder),
                True,
                str(folder),
                _files_fingerprint(root, folder),
            )
        )
    return owners


def _package_version(root: str, folder: Path) -> str:
    """The distribution's version, else a literal ``__version__`` in the package's
    ``__init__`` (editable installs often have no distribution mapping)."""
    for dist_name in importlib.metadata.packages_distributions().get(root, []):
        try:
            return importlib.metadata.version(dist_name)
        except importlib.metadata.PackageNotFoundError:
            continue
    init = folder / "__init__.py"
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


def owners(config: EtlConfig) -> list[Owner]:
    return [*selected_providers(config), *in_house_packages(config)]


# --- listing modules (may import the provider's info module) ---------------------------------


def provider_info(owner: Owner) -> dict[str, Any]:
    """Call the provider's ``get_provider_info()`` entry point."""
    entry_point = importlib.metadata.EntryPoint(
        name="provider_info", value=owner.locator, group=PROVIDER_GROUP
    )
    info = entry_point.load()()
    return info if isinstance(info, dict) else {}


def provider_from_info(owner: Owner, info: dict[str, Any]) -> Provider:
    package = owner.locator.partition(":")[0].rpartition(".")[0]
    return Provider(
        name=owner.name,
        title=str(info.get("name", "")),
        version=owner.version,
        description=str(info.get("description", "")).strip(),
        in_house=False,
        package=package,
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


def discover_provider(owner: Owner) -> Discovery:
    """The provider and every module and class its provider info lists."""
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
    for connection in info.get("connection-types", ()) or ():
        fields = connection.get("conn-fields") or {}
        if connection.get("hook-class-name") and fields:
            found.connection_fields[str(connection["hook-class-name"])] = tuple(
                (str(name), str((spec or {}).get("label", name))) for name, spec in fields.items()
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
