"""DAG pages, "used in", deprecation uses and "What changed", for the example platform."""

import os
from pathlib import Path

import acme_platform

project = "DAGs test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = ["acme_platform"]
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
# The example platform's DAGs (beside its package), and this root's own broken one.
etl_dag_folders = [str(Path(acme_platform.__file__).parents[1] / "dags"), "dags"]
etl_compare_with = "previous/catalog.json"
exclude_patterns = ["_build"]
