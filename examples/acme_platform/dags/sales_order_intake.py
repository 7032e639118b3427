"""
Nightly intake of the sales domain's orders.

The shop's order service lands the day's orders and order lines in the SQLite staging database
every night. This DAG waits for the batch, loads orders and order lines into the warehouse side
by side, and archives both kinds of entity in the ACME archive. When the load has finished, the
warehouse's ``sales.orders`` table is **updated**: the *sales_orders* asset, which the order
reporting DAG waits for. A failure is posted to the sales data channel after three tries.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from acme_platform.notifiers.chat import TeamChatNotifier
from acme_platform.operators.archive import ArchiveIngestedEntitiesOperator
from acme_platform.operators.batch import WaitForBatchOperator
from acme_platform.transfers.sqlite_to_postgres import SqliteToPostgresOperator
from airflow.sdk import DAG, Asset, TaskGroup

SALES_ORDERS = Asset(name="sales_orders", uri="postgres://acme-warehouse/sales/public/orders")

with DAG(
    dag_id="sales_order_intake",
    description="Load and archive the night's orders; updates sales_orders.",
    schedule="30 1 * * *",
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    dagrun_timeout=timedelta(hours=3),
    default_args={
        "owner": "sales-data",
        "retries": 3,
        "retry_delay": timedelta(minutes=10),
        "execution_timeout": timedelta(hours=1),
        "on_failure_callback": TeamChatNotifier(
            message="{{ dag.dag_id }}.{{ ti.task_id }} failed for {{ ds }}.",
            channel="#sales-data",
        ),
    },
    owner_links={"sales-data": "https://chat.acme.example/channels/sales-data"},
    tags=["acme", "sales"],
    doc_md=__doc__,
) as dag:
    order_batch = WaitForBatchOperator(
        task_id="wait_for_order_batch",
        batch_id="orders_{{ ds_nodash }}",
        landing_path="/srv/acme/landing/sales",
        doc_md="The order service writes a `_SUCCESS` marker once the night's batch is whole.",
    )
    with TaskGroup("load", tooltip="Orders and order lines, into the warehouse") as load:
        load_orders = SqliteToPostgresOperator(
            task_id="load_orders",
            sql="SELECT * FROM orders WHERE order_date = '{{ ds }}'",
            target_table="sales.orders",
            sqlite_conn_id="acme_staging",
            postgres_conn_id="acme_warehouse",
            outlets=[SALES_ORDERS],
        )
        load_order_lines = SqliteToPostgresOperator(
            task_id="load_order_lines",
            sql="SELECT * FROM order_lines WHERE order_date = '{{ ds }}'",
            target_table="sales.order_lines",
            sqlite_conn_id="acme_staging",
            postgres_conn_id="acme_warehouse",
            retries=5,
        )
    # One archive task per kind of entity, made when the DAG runs.
    archive = ArchiveIngestedEntitiesOperator.partial(
        task_id="archive_entities",
        domain="sales",
        entities="{{ ti.xcom_pull(task_ids='wait_for_order_batch') | tojson }}",
    ).expand(entity_type=["order", "order_line"])

    order_batch >> load >> archive
