# A DAG file with a syntax error: one located etl.dag warning, the other DAGs still documented.
from airflow.sdk import DAG

with DAG(dag_id="broken" as dag:
    pass
