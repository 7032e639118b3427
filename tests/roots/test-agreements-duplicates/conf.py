"""The same agreement id in two documents, a bad id, an unknown status and two agreements
without an id."""

import os

project = "Duplicate agreements test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = []
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]
