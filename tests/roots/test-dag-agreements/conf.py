"""Agreements over DAGs: the shipped DAG rules, a DAG rule registered here, and scoping."""

import os

from sphinxext_etl.checks import dag_rule

project = "DAG agreements test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = ["acme_platform"]
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
etl_dag_folders = ["dags"]
exclude_patterns = ["_build", "dags"]


@dag_rule("dag-owned", "Every DAG names an owner in its default_args.")
def dag_owned(dag, context):
    if not dag.owner:
        yield f"DAG {dag.dag_id} names no owner"
