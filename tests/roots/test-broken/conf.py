import os

extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = ["broken_pkg"]
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
