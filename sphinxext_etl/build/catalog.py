"""The catalog of a build: read at ``builder-inited`` (each owner from the introspection cache,
or in a worker), its problems warned about, kept on the env's :class:`~.data.BuildData` and
announced with the ``etl-catalog-loaded`` event that the DAG scan, the comparison and the
reference pages listen to."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinxext_etl import collect
from sphinxext_etl.build.data import data_of, digest, stable_text
from sphinxext_etl.collect import discovery, workers
from sphinxext_etl.collect.cache import IntrospectionCache, OwnerRecord
from sphinxext_etl.config import EtlConfig, etl_config
from sphinxext_etl.model import SCHEMA_VERSION, Catalog, ImportFailure, to_json
from sphinxext_etl.model.dags import DagScan
from sphinxext_etl.model.json import published, versioned_dumps
from sphinxext_etl.render import jinja
from sphinxext_etl.render.schedule import schedule_words

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def load_catalog(app: Sphinx) -> None:
    """``builder-inited``: build the Catalog, store it on the env, announce it. Owners the
    cache misses are read in worker processes; this process imports none of their modules."""
    config = etl_config(app)
    problems: list[str] = []
    owners = discovery.owners(config, problems)
    for message in problems:
        logger.warning(message, type="etl", subtype="config")
    cache = IntrospectionCache(cache_folder(app, config), collect.salt(config))
    found: dict[str, OwnerRecord] = {}
    loaded = stored = 0
    for name, record, origin in status_iterator(
        _records(owners, config, cache),
        "reading Airflow components... ",
        "darkgreen",
        len(owners),
        app.verbosity,
        stringify_func=lambda read: read[0],
    ):
        found[name] = record
        loaded += origin == "loaded"
        stored += origin != "unstored"
    # Workers finish in any order; the catalog keeps the owners' own.
    records = [found[owner.name] for owner in owners]
    logger.info("[etl] %d of %d owners from cache", loaded, len(owners))
    report(records, config)
    catalog = Catalog(
        providers=tuple(r.provider for r in records),
        components=tuple(c for r in records for c in r.components),
    )
    data = data_of(app.env)
    data.catalog = catalog
    # What the cached records are, and so everything rendered from them; DAG files import
    # installed code too, so their cached parses follow it whether or not it was read now.
    data.installed_key = digest("\n".join(f"{cache.salt}|{o.fingerprint}" for o in owners))
    data.records_key = data.installed_key if stored == len(owners) else ""
    data.template_path = jinja.site_search_path(app.confdir, list(app.config.templates_path))
    app.emit("etl-catalog-loaded", catalog)


def _records(
    owners: list[discovery.Owner], config: EtlConfig, cache: IntrospectionCache
) -> Iterator[tuple[str, OwnerRecord, str]]:
    """``(owner name, record, origin)``: the cached ones first (``"loaded"``), then the others
    as workers read them, each stored in the cache and read back from it, so that this build
    uses what the next one will load (``"stored"``; ``"unstored"`` when that failed)."""
    missing: list[discovery.Owner] = []
    for owner in owners:
        record = cache.load(owner.name, owner.fingerprint)
        if record is None:
            missing.append(owner)
        else:
            yield owner.name, record, "loaded"
    for owner, record in workers.read_records(missing, config):
        cache.store(owner.name, owner.fingerprint, record)
        stored = cache.load(owner.name, owner.fingerprint)
        yield owner.name, stored or record, "unstored" if stored is None else "stored"


def cache_folder(app: Sphinx, config: EtlConfig) -> Path:
    if config.cache_dir:
        return Path(app.confdir, config.cache_dir)
    return Path(app.doctreedir) / "etl-cache"


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


def write_catalog_json(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: write the Catalog as ``catalog.json`` beside the HTML, for tools."""
    if exception is not None or app.builder.format != "html":
        return
    data = data_of(app.env)
    target = Path(app.outdir, "catalog.json")
    # Serialising a large catalog takes a second: not again for the same inputs.
    stamp = Path(app.doctreedir, "etl-catalog-json.key")
    written = f"{data.inputs_key} {target}"
    if data.inputs_key and target.is_file() and stamp.is_file() and stamp.read_text() == written:
        return
    text = published_text(data.catalog, data.dag_scan, str(app.srcdir))
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    if data.inputs_key:
        stamp.write_text(written, encoding="utf-8")


def published_text(catalog: Catalog, scan: DagScan | None, root: str) -> str:
    """``catalog.json``: the catalog with the platform's DAGs, every path relative to ``root``
    or to a distribution, and each schedule in words beside its expression."""
    dags = scan.dags if scan is not None else ()
    data = to_json(published(dataclasses.replace(catalog, dags=dags), root))
    for entry, dag in zip(data["dags"], dags, strict=True):
        entry["schedule"]["words"] = schedule_words(dag.schedule)
    return versioned_dumps(data, SCHEMA_VERSION) + "\n"


def note_inputs(app: Sphinx, catalog: Catalog) -> None:
    """``etl-catalog-loaded``, after the DAG scan and the comparison: the key of what every
    rendered thing follows from besides its own query or page, so that a rebuild from the same
    inputs renders nothing again to see that it did not change (docs/architecture.rst,
    "What makes things stale"). Empty when a record is not the cache's."""
    data = data_of(app.env)
    data.inputs_key = ""
    if data.records_key:
        inputs = [
            data.records_key,
            stable_text(data.dag_scan),
            stable_text(data.comparison),
            *jinja.template_stamps(data.template_path),
        ]
        data.inputs_key = digest("\n".join(inputs))


def setup(app: Sphinx) -> None:
    # Fired once per build with the loaded Catalog; page generation and checks listen to it.
    app.add_event("etl-catalog-loaded")
    app.connect("builder-inited", load_catalog)
    # After the DAG scan (400) and the comparison (420), before the reference pages (500).
    app.connect("etl-catalog-loaded", note_inputs, priority=450)
    app.connect("build-finished", write_catalog_json)
