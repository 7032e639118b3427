"""The connection builder: the example platform's hooks and the http and postgres providers'."""

import os

project = "Connection builder"
extensions = ["sphinxext_etl"]
etl_providers = ["http", "postgres"]
etl_packages = ["acme_platform"]
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]
