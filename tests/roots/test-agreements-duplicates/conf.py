"""The same agreement id in two documents, a bad id and an unknown status."""

import os

project = "Duplicate agreements test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = []
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]
