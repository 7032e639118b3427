"""A DAG file that reads an Airflow Variable at top level (there is none in a docs build)."""

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Variable

BUCKET = Variable.get("landing_bucket")

with DAG(dag_id="reads_variable_at_import", schedule=None) as dag:
    EmptyOperator(task_id="first")
