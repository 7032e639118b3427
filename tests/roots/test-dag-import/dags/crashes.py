"""A DAG file that crashes its process (a segfault) when imported."""

import ctypes

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(dag_id="crashes_at_import", schedule=None) as dag:
    EmptyOperator(task_id="first")

ctypes.string_at(0)
