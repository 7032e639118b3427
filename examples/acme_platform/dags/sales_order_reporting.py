"""
Sales order reporting, as soon as the night's orders are in.

Runs whenever the order intake DAG has updated the *sales_orders* asset, reports the day's order
metrics from the warehouse, and updates the *sales_order_metrics* asset that the sales dashboard
reads.
"""

from __future__ import annotations

from datetime import datetime, timezone

from acme_platform.notifiers.chat import TeamChatNotifier
from acme_platform.operators.metrics import CollectMetricsOperator
from airflow.sdk import DAG, Asset

SALES_ORDERS = Asset(name="sales_orders", uri="postgres://acme-warehouse/sales/public/orders")
SALES_ORDER_METRICS = Asset(name="sales_order_metrics", uri="acme-metrics://sales/orders")

with DAG(
    dag_id="sales_order_reporting",
    description="Report order metrics whenever sales_orders is updated.",
    schedule=[SALES_ORDERS],
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"owner": "sales-data", "retries": 1},
    on_failure_callback=TeamChatNotifier(
        message="Order reporting failed for {{ ds }}.", channel="#sales-dashboards"
    ),
    tags=["acme", "sales"],
    doc_md=__doc__,
) as dag:
    CollectMetricsOperator(
        task_id="report_order_metrics",
        conn_id="acme_warehouse",
        sql="sql/order_metrics.sql",
        metric_prefix="sales.orders",
        tags={"domain": "sales", "dag": "sales_order_reporting"},
        outlets=[SALES_ORDER_METRICS],
    )
