"""The build step that turns installed code into a Catalog: discover, read (or load the
cache), warn about what went wrong, and hand the Catalog to the rest of the extension."""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import importlib.metadata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinxext_etl import __version__, discovery, introspect, static, templating
from sphinxext_etl.cache import IntrospectionCache, OwnerRecord
from sphinxext_etl.config import EtlConfig, etl_config
from sphinxext_etl.model import (
    Catalog,
    Component,
    ImportFailure,
    dumps,
    source_location,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def read_owner(owner: discovery.Owner, config: EtlConfig) -> OwnerRecord:
    """Introspect every module of one provider or package (the cold path)."""
    found = discovery.discover(owner, skip_private=config.skip_private)
    provider = found.providers[0]
    transfers = {module: (source, target) for _, module, source, target in found.transfers}
    notes = introspect.Notes()
    failures: list[ImportFailure] = []
    components: dict[str, Component] = {}
    done: set[str] = set()
    for _, module_name, hint, integration in found.modules:
        if module_name in done:
            continue
        done.add(module_name)
        context = introspect.ClassContext(
            provider, hint, integration, transfers.get(module_name), found.connections
        )
        for component in _read_module(module_name, context, config, notes, failures):
            components.setdefault(component.path, component)
    for _, path, kind in found.classes:
        module_name, _, name = path.rpartition(".")
        context = introspect.ClassContext(provider, kind, "", None, found.connections)
        module, failure = introspect.import_module(module_name)
        cls = getattr(module, name, None) if module else None
        if failure:
            failures.append(failure)
        elif not isinstance(cls, type):
            notes.add(
                f"provider info lists {path!r}, which is not a class",
                source_location(introspect.module_file(module_name) or module_name),
                "import",
            )
        else:
            notified = introspect.introspect_or_read_statically(cls, context, notes)
            if notified is not None:
                components.setdefault(notified.path, notified)
    return OwnerRecord(provider, tuple(components.values()), tuple(failures), tuple(notes.problems))


def _read_module(
    name: str,
    context: introspect.ClassContext,
    config: EtlConfig,
    notes: introspect.Notes,
    failures: list[ImportFailure],
) -> list[Component]:
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in config.static_modules):
        source = introspect.module_file(name) or ""
        return static.read_module(name, source, context, skip_private=config.skip_private)
    module, failure = introspect.import_module(name)
    if failure is not None:
        failures.append(failure)
        return static.read_module(
            name, failure.source_file, context, skip_private=config.skip_private
        )
    assert module is not None
    return introspect.introspect_module(module, context, notes, skip_private=config.skip_private)


def cache_folder(app: Sphinx, config: EtlConfig) -> Path:
    if config.cache_dir:
        return Path(app.confdir, config.cache_dir)
    return Path(app.doctreedir) / "etl-cache"


@functools.cache
def _code_digest() -> str:
    """A digest of the extension's own code: what introspection records may change with it
    even when the version does not (a development checkout, an editable install)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _salt(config: EtlConfig) -> str:
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


def collect(app: Sphinx, config: EtlConfig) -> list[OwnerRecord]:
    """One record per owner, from the cache when its fingerprint still matches."""
    cache = IntrospectionCache(cache_folder(app, config), _salt(config))
    owners = discovery.owners(config)
    records: list[OwnerRecord] = []
    for owner in status_iterator(
        owners,
        "reading Airflow components... ",
        "darkgreen",
        len(owners),
        app.verbosity,
        stringify_func=lambda o: o.name,
    ):
        record = cache.load(owner.name, owner.fingerprint)
        if record is None:
            record = read_owner(owner, config)
            cache.store(owner.name, owner.fingerprint, record)
        records.append(record)
    return records


def report(records: Iterable[OwnerRecord], config: EtlConfig) -> None:
    """Every problem becomes a located ``etl.*`` warning; nothing is dropped silently. A
    provider module that wants an optional dependency the platform does not install is the
    team's choice, not a fault: those are counted in one line (and listed with ``-v``)."""
    optional: list[ImportFailure] = []
    for record in records:
        for failure in record.failures:
            quiet = not (record.provider.in_house or config.provider_import_warnings)
            if failure.optional and quiet:
                optional.append(failure)
                continue
            logger.warning(
                "cannot import module %s: %s; its components were read statically from source",
                failure.module,
                failure.error,
                location=failure.location,
                type="etl",
                subtype="import",
            )
        for message, location, subtype in record.problems:
            logger.warning(message, location=location, type="etl", subtype=subtype)
    for failure in optional:
        logger.verbose("[etl] %s: %s (%s)", failure.location, failure.module, failure.error)
    if optional:
        logger.info(
            "[etl] %d provider module(s) need optional dependencies that are not installed; "
            "their components were read statically from source (-v lists them; "
            "etl_provider_import_warnings = True makes them etl.import warnings)",
            len(optional),
        )


def load_catalog(app: Sphinx) -> None:
    """``builder-inited``: build the Catalog, store it on the env, announce it."""
    config = etl_config(app)
    records = collect(app, config)
    report(records, config)
    catalog = Catalog(
        providers=tuple(r.provider for r in records),
        components=tuple(c for r in records for c in r.components),
    )
    app.env.etl_catalog = catalog  # type: ignore[attr-defined]
    app.env.etl_template_path = templating.site_search_path(  # type: ignore[attr-defined]
        app.confdir, list(app.config.templates_path)
    )
    app.emit("etl-catalog-loaded", catalog)


def catalog_of(env: BuildEnvironment) -> Catalog:
    """The Catalog of the running build (empty before ``builder-inited``)."""
    return getattr(env, "etl_catalog", None) or Catalog()


def publish_catalog(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: write the Catalog as ``catalog.json`` beside the HTML, for tools."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir, "catalog.json")
    text = dumps(catalog_of(app.env)) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
