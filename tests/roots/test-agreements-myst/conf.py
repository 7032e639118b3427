"""Agreements written in Markdown, through MyST fences and roles."""

import os

project = "MyST agreements test"
extensions = ["myst_parser", "sphinxext_etl"]
etl_providers = []
etl_packages = []
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]
