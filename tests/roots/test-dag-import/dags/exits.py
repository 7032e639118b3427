"""A DAG file that calls sys.exit when imported."""

import sys

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(dag_id="exits_at_import", schedule=None) as dag:
    EmptyOperator(task_id="first")

sys.exit(3)
