"""What one build holds: the catalog (collected at ``builder-inited`` and kept on the env),
per-document records of what pages rendered from it, the generated reference files, and the
published ``catalog.json``. Everything Sphinx-facing that more than one feature needs."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from sphinx.util import logging
from sphinx.util.display import status_iterator

from sphinxext_etl import collect
from sphinxext_etl.collect import discovery, workers
from sphinxext_etl.collect.cache import IntrospectionCache, OwnerRecord
from sphinxext_etl.config import EtlConfig, etl_config
from sphinxext_etl.model import SCHEMA_VERSION, Catalog, ImportFailure, to_json
from sphinxext_etl.model.dags import DagScan
from sphinxext_etl.model.diff import Comparison
from sphinxext_etl.model.json import published, versioned_dumps
from sphinxext_etl.render import jinja
from sphinxext_etl.render.schedule import schedule_words

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

Value = TypeVar("Value")


# --- the catalog --------------------------------------------------------------------------------


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
    cached = True
    for name, record, from_cache in status_iterator(
        _records(owners, config, cache),
        "reading Airflow components... ",
        "darkgreen",
        len(owners),
        app.verbosity,
        stringify_func=lambda read: read[0],
    ):
        found[name] = record
        cached = cached and from_cache
    # Workers finish in any order; the catalog keeps the owners' own.
    records = [found[owner.name] for owner in owners]
    report(records, config)
    catalog = Catalog(
        providers=tuple(r.provider for r in records),
        components=tuple(c for r in records for c in r.components),
    )
    keep_catalog(app.env, catalog)
    # What catalog.json and the generated pages hold follows from the cached records: the
    # same keys, the same files.
    keys = "\n".join(f"{cache.salt}|{owner.fingerprint}" for owner in owners)
    app.env.etl_catalog_key = digest(keys) if cached else ""  # type: ignore[attr-defined]
    # What DAG files import is installed code too: their cached parses follow it.
    app.env.etl_installed_key = digest(keys)  # type: ignore[attr-defined]
    app.env.etl_template_path = jinja.site_search_path(  # type: ignore[attr-defined]
        app.confdir, list(app.config.templates_path)
    )
    app.emit("etl-catalog-loaded", catalog)


def _records(
    owners: list[discovery.Owner], config: EtlConfig, cache: IntrospectionCache
) -> Iterator[tuple[str, OwnerRecord, bool]]:
    """``(owner name, record, whether it is the cache's)``: the cached ones first, then the
    others as workers read them, each stored in the cache and read back from it, so that this
    build uses what the next one will load."""
    missing: list[discovery.Owner] = []
    for owner in owners:
        record = cache.load(owner.name, owner.fingerprint)
        if record is None:
            missing.append(owner)
        else:
            yield owner.name, record, True
    for owner, record in workers.read_records(missing, config):
        cache.store(owner.name, owner.fingerprint, record)
        stored = cache.load(owner.name, owner.fingerprint)
        yield owner.name, stored or record, stored is not None


class ThisBuild(Generic[Value]):
    """A value the env holds for the running build only, and pickles as None: Sphinx pickles
    the whole env to send each parallel reader's work back and to save it at the end, and
    the catalog, most of it, is loaded again at the next ``builder-inited`` anyway."""

    def __init__(self, value: Value) -> None:
        self.value: Value | None = value

    def __getstate__(self) -> dict[str, None]:
        return {"value": None}


def keep_catalog(env: BuildEnvironment, catalog: Catalog) -> None:
    env.etl_catalog = ThisBuild(catalog)  # type: ignore[attr-defined]


def catalog_of(env: BuildEnvironment) -> Catalog:
    """The Catalog of the running build (empty before ``builder-inited``)."""
    kept = getattr(env, "etl_catalog", None)
    return (kept.value if isinstance(kept, ThisBuild) else None) or Catalog()


def scan_of(env: BuildEnvironment) -> DagScan | None:
    """What ``etl_dag_folders`` hold (None when no folders are configured)."""
    return getattr(env, "etl_dag_scan", None)


def comparison_of(env: BuildEnvironment) -> Comparison | None:
    """This release against ``etl_compare_with`` (None when it is not configured)."""
    return getattr(env, "etl_comparison", None)


def search_path(env: BuildEnvironment) -> tuple[str, ...]:
    """The site's template folders, resolved at ``builder-inited`` (the env has no confdir)."""
    return getattr(env, "etl_template_path", ())


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
    target = Path(app.outdir, "catalog.json")
    # Serialising a large catalog takes a second: not again for the same cached records.
    stamp = Path(app.doctreedir, "etl-catalog-json.key")
    scan = scan_of(app.env)
    key = getattr(app.env, "etl_catalog_key", "")
    written = f"{key} {digest(repr(scan))} {target}"
    if key and target.is_file() and stamp.is_file() and stamp.read_text() == written:
        return
    text = published_text(catalog_of(app.env), scan, str(app.srcdir))
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    if key:
        stamp.write_text(written, encoding="utf-8")


def published_text(catalog: Catalog, scan: DagScan | None, root: str) -> str:
    """``catalog.json``: the catalog with the platform's DAGs, every path relative to ``root``
    or to a distribution, and each schedule in words beside its expression."""
    dags = scan.dags if scan is not None else ()
    data = to_json(published(dataclasses.replace(catalog, dags=dags), root))
    for entry, dag in zip(data["dags"], dags, strict=True):
        entry["schedule"]["words"] = schedule_words(dag.schedule)
    return versioned_dumps(data, SCHEMA_VERSION) + "\n"


def note_render_inputs(app: Sphinx, catalog: Catalog) -> None:
    """``etl-catalog-loaded``, after the DAG scan: a key for what a catalog renders from
    besides its query (the cached records, the templates on disk, the DAG scan), so that a
    rebuild from the same inputs need not render every catalog again to see that it did not
    change. Empty when a record is not the cache's."""
    records = getattr(app.env, "etl_catalog_key", "")
    key = ""
    if records:
        inputs = [records, repr(scan_of(app.env)), *jinja.template_stamps(search_path(app.env))]
        key = digest("\n".join(inputs))
    app.env.etl_render_inputs = key  # type: ignore[attr-defined]


def render_inputs(env: BuildEnvironment) -> str:
    """The key :func:`note_render_inputs` left for this build ("" when there is none)."""
    return getattr(env, "etl_render_inputs", "")


# --- per-document records -----------------------------------------------------------------------

Record = TypeVar("Record")


def digest(text: str) -> str:
    """A fingerprint of rendered text, to compare what a page showed with what it would show."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


class DocRecords(Generic[Record]):
    """``docname -> record`` stored on the env under ``attribute``, purged and merged for
    parallel builds the way ``sphinx.ext.todo`` keeps its state. ``stale(env, record)`` says
    whether the page that left ``record`` must be re-read."""

    def __init__(self, attribute: str, stale: Callable[[BuildEnvironment, Record], bool]) -> None:
        self.attribute = attribute
        self.stale = stale

    def of(self, env: BuildEnvironment) -> dict[str, Record]:
        if not hasattr(env, self.attribute):
            setattr(env, self.attribute, {})
        records: dict[str, Record] = getattr(env, self.attribute)
        return records

    def connect(self, app: Sphinx) -> None:
        """Keep the records through incremental and parallel builds."""
        app.connect("env-get-outdated", self.outdated_docs)
        app.connect("env-purge-doc", self.purge_doc)
        app.connect("env-merge-info", self.merge_info)

    def outdated_docs(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        added: set[str],
        changed: set[str],
        removed: set[str],
    ) -> list[str]:
        """``env-get-outdated`` handler."""
        stale = {docname for docname, record in self.of(env).items() if self.stale(env, record)}
        return sorted(stale - added - changed - removed)

    def purge_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        """``env-purge-doc`` handler."""
        self.of(env).pop(docname, None)

    def merge_info(
        self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
    ) -> None:
        """``env-merge-info`` handler."""
        mine = self.of(env)
        mine.update((d, r) for d, r in self.of(other).items() if d in docnames)


def setup(app: Sphinx) -> None:
    # Fired once per build with the loaded Catalog; page generation and checks listen to it.
    app.add_event("etl-catalog-loaded")
    app.connect("builder-inited", load_catalog)
    app.connect("etl-catalog-loaded", note_render_inputs, priority=450)
    app.connect("build-finished", write_catalog_json)
