"""Collect: installed code -> the model. Discover owners, read each one (live classes, or their
source where a module will not import), and cache what was read, problems included.

Nothing here imports docutils or the rest of the extension: only :mod:`sphinxext_etl.model`
and the settings. Airflow's base classes are imported in :mod:`.airflow` only.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import importlib.metadata
from pathlib import Path

from sphinxext_etl import __version__
from sphinxext_etl.collect import discovery, live, source
from sphinxext_etl.collect.cache import IntrospectionCache, OwnerRecord
from sphinxext_etl.collect.modules import ClassContext, Notes, import_module, module_file
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import Component, ImportFailure, source_location

__all__ = ["OwnerRecord", "read_owner", "record_of", "salt"]


def read_owner(owner: discovery.Owner, config: EtlConfig) -> OwnerRecord:
    """Introspect every module of one provider or package (the cold path)."""
    found = discovery.discover(owner, skip_private=config.skip_private)
    provider = found.providers[0]
    transfers = {module: (source, target) for _, module, source, target in found.transfers}
    notes = Notes()
    failures: list[ImportFailure] = []
    components: dict[str, Component] = {}
    done: set[str] = set()
    for _, module_name, hint, integration in found.modules:
        if module_name in done:
            continue
        done.add(module_name)
        context = ClassContext(
            provider, hint, integration, transfers.get(module_name), found.connections
        )
        for component in _read_module(module_name, context, config, notes, failures):
            components.setdefault(component.path, component)
    for _, path, kind in found.classes:
        module_name, _, name = path.rpartition(".")
        context = ClassContext(provider, kind, "", None, found.connections)
        module, failure = import_module(module_name)
        cls = getattr(module, name, None) if module else None
        if failure:
            failures.append(failure)
        elif not isinstance(cls, type):
            notes.add(
                f"provider info lists {path!r}, which is not a class",
                source_location(module_file(module_name) or module_name),
                "import",
            )
        else:
            notified = live.introspect_or_read_statically(cls, context, notes)
            if notified is not None:
                components.setdefault(notified.path, notified)
    return OwnerRecord(provider, tuple(components.values()), tuple(failures), tuple(notes.problems))


def _read_module(
    name: str,
    context: ClassContext,
    config: EtlConfig,
    notes: Notes,
    failures: list[ImportFailure],
) -> list[Component]:
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in config.static_modules):
        file = module_file(name) or ""
        return source.read_module(name, file, context, skip_private=config.skip_private)
    module, failure = import_module(name)
    if failure is not None:
        failures.append(failure)
        return source.read_module(
            name, failure.source_file, context, skip_private=config.skip_private
        )
    assert module is not None
    return live.introspect_module(module, context, notes, skip_private=config.skip_private)


@functools.cache
def _code_digest() -> str:
    """A digest of the extension's own code: what introspection records may change with it
    even when the version does not (a development checkout, an editable install)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(Path(__file__).parent.parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def salt(config: EtlConfig) -> str:
    """Everything besides an owner's own fingerprint that changes what reading it gives."""
    try:
        airflow_version = importlib.metadata.version("apache-airflow")
    except importlib.metadata.PackageNotFoundError:
        airflow_version = "none"
    return "|".join(
        [
            __version__,
            _code_digest(),
            str(discovery.LISTING_VERSION),
            airflow_version,
            str(config.skip_private),
            ",".join(config.static_modules),
        ]
    )


def record_of(owner: discovery.Owner, config: EtlConfig, cache: IntrospectionCache) -> OwnerRecord:
    """One owner's record: from the cache while its fingerprint matches, else read afresh."""
    record = cache.load(owner.name, owner.fingerprint)
    if record is None:
        record = read_owner(owner, config)
        cache.store(owner.name, owner.fingerprint, record)
    return record
