import os

extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = ["quirks_pkg"]
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
etl_source_url = "https://git.example.com/acme/blob/main/{path}#L{line}"
nitpicky = True
