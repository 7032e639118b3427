"""
Daily customer archive for the sales domain.

Every day the CRM export lands a batch of customers. This DAG waits for the batch, loads it from
the SQLite staging database into the warehouse, archives every customer in the ACME archive, waits
for the CRM team's segment snapshot of the same day, and reports the day's customer metrics, so
that the sales dashboard shows customers and segments together. Failures are posted to the sales
data channel.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from acme_platform.notifiers.chat import TeamChatNotifier
from acme_platform.operators.archive import ArchiveIngestedEntitiesOperator
from acme_platform.operators.batch import WaitForBatchOperator
from acme_platform.operators.metrics import CollectMetricsOperator
from acme_platform.sensors.archive import EntityArchivedSensor
from acme_platform.transfers.sqlite_to_postgres import SqliteToPostgresOperator
from airflow.sdk import DAG

with DAG(
    dag_id="daily_entity_archive",
    description="Load, archive and report the day's ingested customers.",
    schedule="@daily",
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={
        "owner": "sales-data",
        "retries": 2,
        "retry_delay": timedelta(minutes=5),
        "on_failure_callback": TeamChatNotifier(
            message="{{ dag.dag_id }}.{{ ti.task_id }} failed for {{ ds }}.",
            channel="#sales-data",
        ),
    },
    tags=["acme", "sales"],
    doc_md=__doc__,
) as dag:
    collect_batch = WaitForBatchOperator(
        task_id="collect_customer_batch",
        batch_id="customers_{{ ds_nodash }}",
        landing_path="/srv/acme/landing/sales",
    )
    load_into_warehouse = SqliteToPostgresOperator(
        task_id="load_customers_into_warehouse",
        sql="sql/select_staged_customers.sql",
        target_table="sales.customers",
        preoperator="sql/delete_customers_of_the_day.sql",
        sqlite_conn_id="acme_staging",
        postgres_conn_id="acme_warehouse",
    )
    archive_customers = ArchiveIngestedEntitiesOperator(
        task_id="archive_customers",
        domain="sales",
        entity_type="customer",
        entities="{{ ti.xcom_pull(task_ids='collect_customer_batch') | tojson }}",
    )
    wait_for_segments = EntityArchivedSensor(
        task_id="wait_for_crm_segments",
        domain="crm",
        entity_type="segment_snapshot",
        entity_id="customers",
        mode="reschedule",
        poke_interval=timedelta(minutes=10),
        timeout=timedelta(hours=4),
    )
    report_metrics = CollectMetricsOperator(
        task_id="report_customer_metrics",
        conn_id="acme_warehouse",
        sql="sql/customer_metrics.sql",
        metric_prefix="sales.customers",
        tags={"domain": "sales", "dag": "daily_entity_archive"},
    )

    collect_batch >> load_into_warehouse >> archive_customers >> wait_for_segments >> report_metrics
