import os

extensions = ["sphinxext_etl"]
etl_providers = [
    "apache-airflow-providers-standard",
    "apache-airflow-providers-postgres",
    "sqlite",
]
etl_packages = ["acme_platform"]
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
