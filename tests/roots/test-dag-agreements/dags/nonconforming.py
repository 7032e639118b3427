# No doc_md, no owner, inline SQL and metrics, and a deprecated operator: every rule breaks.

from __future__ import annotations

from acme_platform.hooks.metrics import MetricsHook
from acme_platform.operators.legacy import LegacyExportOperator
from airflow.providers.postgres.hooks.postgres import PostgresHook
from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG, task


def count_rows() -> int:
    hook = PostgresHook(postgres_conn_id="acme_warehouse")
    return hook.get_first("SELECT count(*) FROM crm.customers")[0]


with DAG(dag_id="nonconforming_export", schedule=None, tags=["crm", "legacy"]):
    export = LegacyExportOperator(
        task_id="export_customers", domain="crm", entity_type="customer", entities=[]
    )

    @task
    def report(count: int) -> None:
        MetricsHook().emit("crm.customers.exported", count, {"domain": "crm"})

    counted = PythonOperator(task_id="count_rows", python_callable=count_rows)
    export >> counted
    report(counted.output)
