"""Collect: installed code -> the model. Discover owners, read each one (live classes, or their
source where a module will not import), and cache what was read, problems included.

Nothing here imports docutils or the rest of the extension: only :mod:`sphinxext_etl.model`
and the settings. Airflow's base classes are imported in :mod:`.airflow` only. The Sphinx
process reads owners through :mod:`.workers`, which runs :func:`read_owner` in worker
processes; it never imports a provider's or in-house module itself.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sphinxext_etl.collect import discovery, listing, live, source
from sphinxext_etl.collect.cache import OwnerRecord
from sphinxext_etl.collect.modules import ClassContext, Notes, import_module, module_file
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import Component, ImportFailure, source_location

__all__ = ["OwnerRecord", "read_owner", "salt", "weight"]


def read_owner(
    owner: discovery.Owner,
    config: EtlConfig,
    on_module: Callable[[str], None] = lambda module: None,
    *,
    provider_info: bool = True,
) -> OwnerRecord:
    """Introspect every module of one provider or package (the cold path), in this process.

    ``on_module`` hears the name of each module before it is read (a provider's info module
    first): a worker tells its parent where it was if it dies. Without ``provider_info``, a
    provider's modules are found by walking its package instead of calling its
    ``get_provider_info()``; with every module static too, nothing is imported.
    """
    if provider_info:
        if not (owner.in_house or owner.core):
            on_module(info_module(owner))
        found = listing.discover(owner, skip_private=config.skip_private)
    else:
        found = listing.discover_without_info(owner, skip_private=config.skip_private)
    provider, reader = found.provider, _Reader(config)
    components: dict[str, Component] = {}
    done: set[str] = set()
    for module_name, hint, integration in found.modules:
        if module_name in done:
            continue
        done.add(module_name)
        on_module(module_name)
        transfer = found.transfers.get(module_name)
        context = ClassContext(provider, hint, integration, transfer, found.connections)
        for component in reader.module(module_name, context):
            components.setdefault(component.path, component)
    for path, kind in found.classes:
        on_module(path.rpartition(".")[0])
        context = ClassContext(provider, kind, connections=found.connections)
        listed = reader.listed_class(path, context)
        if listed is not None:
            components.setdefault(listed.path, listed)
    problems = tuple(reader.notes)
    return OwnerRecord(provider, tuple(components.values()), tuple(reader.failures), problems)


def weight(owner: discovery.Owner) -> int:
    """Bytes of Python source an owner holds, read without importing it: roughly how long
    reading it takes, so that workers start with the largest."""
    if not (owner.core or owner.in_house):
        try:
            files = importlib.metadata.distribution(owner.name).files or []
        except importlib.metadata.PackageNotFoundError:
            return 0
        return sum(f.size or 0 for f in files if f.suffix == ".py")
    root = Path(owner.locator)
    folders = [root / name for name in discovery.CORE_FOLDERS] if owner.core else [root]
    return sum(p.stat().st_size for folder in folders for p in folder.rglob("*.py"))


def info_module(owner: discovery.Owner) -> str:
    """The module a provider's ``get_provider_info`` lives in (imported to list its modules)."""
    return owner.locator.partition(":")[0]


def is_static(module: str, config: EtlConfig) -> bool:
    """Whether ``etl_static_modules`` keeps ``module`` from being imported."""
    return any(fnmatch.fnmatchcase(module, pattern) for pattern in config.static_modules)


@dataclass
class _Reader:
    """Reads an owner's modules and listed classes, live or from source, gathering what goes
    wrong."""

    config: EtlConfig
    notes: Notes = field(default_factory=list)
    failures: list[ImportFailure] = field(default_factory=list)

    def listed_class(self, path: str, context: ClassContext) -> Component | None:
        """One class the provider info lists by path (notifiers)."""
        module_name, _, name = path.rpartition(".")
        if is_static(module_name, self.config):
            found = source.read_module(
                module_name, module_file(module_name) or "", context, skip_private=False
            )
            return next((c for c in found if c.path == path), None)
        module, failure = import_module(module_name)
        cls = getattr(module, name, None) if module else None
        if failure:
            self.failures.append(failure)
            return None
        if not isinstance(cls, type):
            message = f"provider info lists {path!r}, which is not a class"
            where = source_location(module_file(module_name) or module_name)
            self.notes.append((message, where, "import"))
            return None
        return live.introspect_or_read_statically(cls, context, self.notes)

    def module(self, name: str, context: ClassContext) -> list[Component]:
        skip_private = self.config.skip_private
        module, failure = (None, None) if is_static(name, self.config) else import_module(name)
        if failure is not None:
            self.failures.append(failure)
        if module is None:  # static, or failed to import: read from source
            file = module_file(name) or ""
            return source.read_module(name, file, context, skip_private=skip_private)
        return live.introspect_module(module, context, self.notes, skip_private=skip_private)


@functools.cache
def _code_digest() -> str:
    """A digest of the code that reading an owner runs (collect, the model, the settings):
    an upgrade that changes it reads every owner again; one that changes only how pages are
    made (build, render, directives) reuses every record."""
    digest = hashlib.sha1(usedforsecurity=False)
    package = Path(__file__).parent.parent
    for path in sorted([*package.glob("collect/*.py"), *package.glob("model/*.py")]):
        digest.update(path.read_bytes())
    digest.update((package / "config.py").read_bytes())
    return digest.hexdigest()[:12]


def salt(config: EtlConfig) -> str:
    """Everything besides an owner's own fingerprint that changes what reading it gives."""
    airflow_version = discovery.installed_version("apache-airflow") or "none"
    return "|".join(
        [
            _code_digest(),
            str(listing.LISTING_VERSION),
            airflow_version,
            str(config.skip_private),
            ",".join(config.static_modules),
        ]
    )
