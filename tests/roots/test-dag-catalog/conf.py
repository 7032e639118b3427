"""DAG catalogs over the example platform's DAGs and this root's own finance DAG."""

import os
from pathlib import Path

import acme_platform

project = "DAG catalog test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = ["acme_platform"]
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
# The example platform's DAGs (beside its package), and a DAG of two owners and two tags.
etl_dag_folders = [str(Path(acme_platform.__file__).parents[1] / "dags"), "dags"]
exclude_patterns = ["_build"]
