"""Settings only: no provider or package to read, so a build starts in no time."""

import os

extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = []
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
