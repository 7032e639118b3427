"""A DAG file that raises when imported."""

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG

with DAG(dag_id="raises_at_import", schedule=None) as dag:
    EmptyOperator(task_id="first")

raise RuntimeError("the warehouse is not reachable")
