"""
Hourly archive of shipped orders for the fulfilment domain.

Every hour the order service lands a batch of orders. This DAG waits for the batch, keeps the
orders that have shipped, archives each of them in the ACME archive, and reports the hour's order
metrics from the warehouse. Orders that have not shipped yet arrive again in a later batch, so
nothing is lost by leaving them out. Failures are posted to the fulfilment data channel.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from acme_platform.notifiers.chat import TeamChatNotifier
from acme_platform.operators.archive import ArchiveIngestedEntitiesOperator
from acme_platform.operators.batch import WaitForBatchOperator
from acme_platform.operators.metrics import CollectMetricsOperator
from airflow.sdk import dag, task


@dag(
    dag_id="fulfilment_order_archive",
    description="Archive the hour's shipped orders and report order metrics.",
    schedule="@hourly",
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={
        "owner": "fulfilment-data",
        "retries": 2,
        "retry_delay": timedelta(minutes=5),
        "on_failure_callback": TeamChatNotifier(
            message="{{ dag.dag_id }}.{{ ti.task_id }} failed for {{ ts }}.",
            channel="#fulfilment-data",
        ),
    },
    tags=["acme", "fulfilment"],
    doc_md=__doc__,
)
def fulfilment_order_archive() -> None:
    order_batch = WaitForBatchOperator(
        task_id="wait_for_order_batch",
        batch_id="orders_{{ ts_nodash }}",
        landing_path="/srv/acme/landing/fulfilment",
    )

    @task
    def keep_shipped_orders(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Keep the orders that have shipped; the others come again in a later batch."""
        return [order for order in orders if order.get("status") == "shipped"]

    archive_orders = ArchiveIngestedEntitiesOperator(
        task_id="archive_shipped_orders",
        domain="fulfilment",
        entity_type="order",
        entities="{{ ti.xcom_pull(task_ids='keep_shipped_orders') | tojson }}",
        id_field="order_id",
    )
    report_metrics = CollectMetricsOperator(
        task_id="report_order_metrics",
        conn_id="acme_warehouse",
        sql="sql/order_metrics.sql",
        metric_prefix="fulfilment.orders",
        tags={"domain": "fulfilment", "dag": "fulfilment_order_archive"},
    )

    keep_shipped_orders(order_batch.output) >> archive_orders >> report_metrics


fulfilment_order_archive()
