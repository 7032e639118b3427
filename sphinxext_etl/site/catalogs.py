"""Moved to :mod:`sphinxext_etl.collect.published`; kept only until ``changes.py`` imports it
from there (the build must not import the CLI's ``site`` package). Delete then."""

from __future__ import annotations

from sphinxext_etl.collect.published import CatalogLoadError as CatalogLoadError
from sphinxext_etl.collect.published import is_url as is_url
from sphinxext_etl.collect.published import read_published_catalog as load_catalog

__all__ = ["CatalogLoadError", "is_url", "load_catalog"]
