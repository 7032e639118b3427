"""Regional exports: one DAG per region, made by a factory in a loop, each with a task per table."""

from __future__ import annotations

import datetime

from airflow.providers.standard.operators.bash import BashOperator
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, TaskGroup

TABLES = ("orders", "customers", "invoices")


def regional_export(region: str) -> DAG:
    with DAG(
        dag_id=f"export_{region}",
        schedule="0 2 * * *",
        start_date=datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc),
        catchup=False,
        default_args={"owner": f"{region}-data", "retries": 2},
        tags=["export", region],
    ) as dag:
        start = EmptyOperator(task_id="start")
        with TaskGroup("tables") as tables:
            for table in TABLES:
                BashOperator(task_id=f"export_{table}", bash_command=f"echo {table}")
        done = EmptyOperator(task_id="done")
        start >> tables >> done
    return dag


for name in ("emea", "apac"):
    globals()[f"dag_{name}"] = regional_export(name)
