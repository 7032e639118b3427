"""DAG files imported as Airflow parses them, with files that fail every way a file can."""

import os

project = "DAG import test"
extensions = ["sphinxext_etl"]
etl_providers = ["apache-airflow-providers-standard"]
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
etl_dag_folders = ["dags"]
# Short, so the hung files do not hold the suite up.
etl_import_timeout = 4
exclude_patterns = ["_build"]
