"""sphinxext-etl's own documentation, built with sphinxext-etl."""

from __future__ import annotations

import sphinxext_etl

project = "sphinxext-etl"
author = "sphinxext-etl developers"
copyright = "2026, sphinxext-etl developers"
release = version = sphinxext_etl.__version__

extensions = ["sphinxext_etl", "sphinx.ext.intersphinx"]

# The docs document the example in-house package and one small provider, live.
etl_packages = ["acme_platform"]
etl_providers = ["apache-airflow-providers-standard"]
etl_reference_dir = "reference"

# Upstream inventories are opt-in so that the docs build offline (CI has no network).
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

html_theme = "sphinx_rtd_theme"
html_title = f"sphinxext-etl {release}"
exclude_patterns = ["_build"]
nitpicky = False
