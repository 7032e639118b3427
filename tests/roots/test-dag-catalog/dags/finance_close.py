"""The month's close: the finance team's DAG, with one step the sales team owns."""

from __future__ import annotations

from datetime import datetime, timezone

from airflow.sdk import DAG, task

with DAG(
    dag_id="finance_close",
    schedule="@monthly",
    start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"owner": "finance"},
    tags=["Finance Reports", "acme"],
    doc_md=__doc__,
):

    @task
    def close_ledger() -> None:
        pass

    @task(owner="sales-data")
    def confirm_sales_totals() -> None:
        pass

    close_ledger() >> confirm_sales_totals()
