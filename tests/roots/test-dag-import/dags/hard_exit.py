"""A DAG file that ends its process when imported, past every exception handler."""

import os

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(dag_id="hard_exit_at_import", schedule=None) as dag:
    EmptyOperator(task_id="first")

os._exit(7)
