"""DAGs on the site: ``etl_dag_folders`` parsed once the catalog is loaded (as Airflow does,
in workers, or statically: ``etl_dag_parse``), what could not be read as ``etl.dag`` warnings,
and every use of a deprecated component or parameter as an ``etl.usage`` warning at its DAG
line, so ``-W`` stops deprecations spreading."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxext_etl.build.catalog import cache_folder
from sphinxext_etl.build.data import data_of
from sphinxext_etl.collect import dag_import
from sphinxext_etl.config import etl_config
from sphinxext_etl.model import Catalog, source_location
from sphinxext_etl.model.dags import DagScan, deprecated_uses

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def scan_dags(app: Sphinx, catalog: Catalog) -> None:
    """``etl-catalog-loaded`` (before the reference is written): scan, warn, keep the scan."""
    config = etl_config(app)
    data = data_of(app.env)
    data.dag_scan = None
    if not config.dag_folders:
        return
    paths = []
    for folder in config.dag_folders:
        path = Path(app.confdir, folder).resolve()
        if path.exists():
            paths.append(path)
        else:
            logger.warning(
                "etl_dag_folders names %r, which does not exist", folder, type="etl", subtype="dag"
            )
    cache = dag_import.DagFileCache(cache_folder(app, config) / "dags", data.installed_key)
    scan, counts = dag_import.scan(paths, config, [c.path for c in catalog], cache)
    logger.info(
        "[etl] DAG files: %d imported, %d from cache, %d read statically",
        counts.imported,
        counts.cached,
        counts.static,
    )
    data.dag_scan = scan
    warn(scan, catalog)


def warn(scan: DagScan, catalog: Catalog) -> None:
    for problem in scan.problems:
        logger.warning(problem.message, location=problem.location, type="etl", subtype="dag")
    by_path = catalog.by_path()
    for dag in scan.dags:
        for task, message in deprecated_uses(dag, by_path):
            logger.warning(
                "DAG %s: %s",
                dag.dag_id,
                message,
                location=source_location(dag.file, task.line),
                type="etl",
                subtype="usage",
            )


def setup(app: Sphinx) -> None:
    app.connect("etl-catalog-loaded", scan_dags, priority=400)
