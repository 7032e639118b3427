"""Reference pages, roles and docstrings: three small providers, acme_platform and shop_ops."""

import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "reference"
extensions = ["sphinxext_etl", "sphinx.ext.autodoc"]
etl_providers = ["standard", "sqlite", "postgres"]
etl_packages = ["acme_platform", "shop_ops"]
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]


def mark_docstring(app, what, name, obj, options, lines):
    if name == "acme_platform.operators.archive.ArchiveIngestedEntitiesOperator":
        lines.extend(["", "Seen by the site's own autodoc-process-docstring hook."])


def setup(app):
    app.connect("autodoc-process-docstring", mark_docstring)
