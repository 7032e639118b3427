"""A DAG file that sleeps past the import timeout when imported."""

import time

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(dag_id="sleeps_at_import", schedule=None) as dag:
    EmptyOperator(task_id="first")

time.sleep(600)
