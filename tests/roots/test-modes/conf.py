"""Every Sphinx mode: one small provider and a local in-house package the tests may edit."""

import json
import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "modes"
version = release = "1.0"
copyright = "2026, the depot team"
author = "the depot team"
extensions = ["sphinxext_etl"]
etl_providers = ["sqlite"]
etl_packages = ["depot_ops"]
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]


def record_modules(app, exception):
    """Write the imported provider and in-house modules, for the warm-build test."""
    target = os.environ.get("ETL_RECORD_MODULES")
    if target:
        names = sorted(m for m in sys.modules if m.startswith(("airflow.providers.", "depot_ops")))
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(names, handle)


def setup(app):
    app.connect("build-finished", record_modules)
