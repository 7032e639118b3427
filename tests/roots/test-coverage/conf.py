"""The documentation coverage table of the rules fixture package."""

import os

project = "Coverage test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = ["rules_pkg"]
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]
