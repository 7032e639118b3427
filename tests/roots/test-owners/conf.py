import os

extensions = ["sphinxext_etl"]
# Third-party providers (tests/fixtures/bare_provider, put on sys.path by the tests) and
# Airflow core, each by the name a user would write.
etl_providers = ["acme-bare-provider", "ACME_Partial_Provider", "apache-airflow"]
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
