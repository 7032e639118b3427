"""What changed since the previous release: ``etl_compare_with`` loaded once the catalog is,
compared with it, and kept for the "What changed" page and the component pages' badges. A
first release or an unreachable catalog gives a page that says so and one ``etl.diff``
warning; it never fails the build on its own."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxext_etl.build.data import data_of
from sphinxext_etl.collect.published import CatalogLoadError, is_url, read_published_catalog
from sphinxext_etl.config import etl_config
from sphinxext_etl.model import Catalog
from sphinxext_etl.model.diff import Comparison, diff

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def compare(app: Sphinx, catalog: Catalog) -> None:
    """``etl-catalog-loaded`` (before the reference is written)."""
    config = etl_config(app)
    data = data_of(app.env)
    data.comparison = None
    against = config.compare_with.strip()
    if not against:
        return
    location = against if is_url(against) else str(Path(app.confdir, against))
    try:
        previous = read_published_catalog(location)
    except CatalogLoadError as error:
        logger.warning(
            "no previous catalog to compare with (%s); the changes page says so",
            error,
            type="etl",
            subtype="diff",
        )
        comparison = Comparison(against, None, str(error))
    else:
        scan = data.dag_scan
        current = dataclasses.replace(catalog, dags=scan.dags) if scan is not None else catalog
        # config.validate checked the overrides: a bad table was replaced by the built-in one.
        comparison = Comparison(against, diff(previous, current, dict(config.diff_severities)))
    data.comparison = comparison


def setup(app: Sphinx) -> None:
    # After the DAG scan (400): the DAGs are compared too.
    app.connect("etl-catalog-loaded", compare, priority=420)
