"""
Hourly archive of shipped orders: wait for the batch, keep the shipped orders, archive them and
report the hour's order metrics.
"""

from __future__ import annotations

from acme_platform.operators.archive import ArchiveIngestedEntitiesOperator
from acme_platform.operators.batch import WaitForBatchOperator
from acme_platform.operators.metrics import CollectMetricsOperator
from airflow.sdk import dag, task


@dag(schedule="@hourly", tags=["acme", "fulfilment"], doc_md=__doc__)
def conforming_order_archive() -> None:
    batch = WaitForBatchOperator(
        task_id="wait_for_order_batch", batch_id="orders", landing_path="/srv/landing"
    )

    @task
    def keep_shipped_orders(orders: list[dict]) -> list[dict]:
        return [order for order in orders if order.get("status") == "shipped"]

    archive = ArchiveIngestedEntitiesOperator(
        task_id="archive_shipped_orders", domain="fulfilment", entity_type="order", entities="[]"
    )
    metrics = CollectMetricsOperator(
        task_id="report_order_metrics",
        conn_id="acme_warehouse",
        sql="SELECT count(*) AS orders FROM fulfilment.orders",
        metric_prefix="fulfilment.orders",
    )
    keep_shipped_orders(batch.output) >> archive >> metrics


conforming_order_archive()
