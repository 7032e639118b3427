import os

extensions = ["sphinxext_etl"]
# tests/fixtures/quirks_provider, put on sys.path by the tests.
etl_providers = ["acme-quirks-provider"]
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
nitpicky = True
