# A deliberately NON-conforming DAG, so that the demo site's DAG checks have something to report.
# It breaks three team agreements on purpose:
#
# - it has no doc_md, so the DAG's page in the Airflow UI says nothing about what it does;
# - its ``count_exported_customers`` task opens a PostgreSQL connection with a hook and runs SQL
#   itself, then emits the metric by hand, where the platform's CollectMetricsOperator does both;
# - it still exports through the deprecated LegacyExportOperator, with its ``overwrite``
#   parameter, instead of ArchiveIngestedEntitiesOperator.

from __future__ import annotations

from datetime import datetime, timezone

from acme_platform.hooks.metrics import MetricsHook
from acme_platform.operators.legacy import LegacyExportOperator
from airflow.providers.postgres.hooks.postgres import PostgresHook
from airflow.sdk import DAG, task

with DAG(
    dag_id="legacy_customer_export",
    schedule="0 2 * * *",
    start_date=datetime(2024, 6, 1, tzinfo=timezone.utc),
    catchup=False,
    default_args={"owner": "crm-data"},
    tags=["acme", "crm", "legacy"],
):
    export_customers = LegacyExportOperator(
        task_id="export_customers",
        domain="crm",
        entity_type="customer",
        entities=[{"id": "placeholder"}],
        overwrite=False,
    )

    @task
    def count_exported_customers() -> int:
        hook = PostgresHook(postgres_conn_id="acme_warehouse")
        rows = hook.get_records("SELECT count(*) FROM crm.customers WHERE exported")
        count = int(rows[0][0])
        MetricsHook().emit("crm.customers.exported", count, {"domain": "crm"})
        return count

    export_customers >> count_exported_customers()
