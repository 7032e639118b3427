"""Operator that turns the result of a SQL query into platform metrics."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from contextlib import closing
from functools import cached_property
from typing import TYPE_CHECKING, Any

from airflow.exceptions import AirflowException
from airflow.providers.common.sql.hooks.sql import DbApiHook

from acme_platform._compat import BaseHook, BaseOperator
from acme_platform.hooks.metrics import MetricsHook

if TYPE_CHECKING:
    from airflow.sdk import Context


class CollectMetricsOperator(BaseOperator):
    """
    Collect metrics, such as row counts, from a SQL query and emit them to the metrics endpoint.

    The query runs on any database that has a common-sql hook (SQLite, PostgreSQL, ...), found from
    the connection's type. It must return one row; every column becomes one gauge named
    ``<metric_prefix>.<column>``, so ``SELECT count(*) AS rows FROM sales.customers`` emits
    ``<metric_prefix>.rows``. The query's own duration is emitted as
    ``<metric_prefix>.query_seconds``. Metrics go out through
    :class:`~acme_platform.hooks.metrics.MetricsHook`, and the operator returns them as a dict.

    :param sql: the query, or the name of a ``.sql`` template file. Templated.
    :param conn_id: ID of the database connection to query; its type must have a common-sql hook.
    :param metric_prefix: name that every metric of this task starts with, such as
        ``ingest.customers``.
    :param tags: dimensions added to every metric, such as ``{"domain": "sales"}``. Templated.
    :param metrics_conn_id: ID of the ``acme_metrics`` connection to emit through.
    """

    template_fields: Sequence[str] = ("sql", "tags")
    template_ext: Sequence[str] = (".sql",)
    template_fields_renderers = {"sql": "sql", "tags": "json"}
    ui_color = "#cfe2f3"

    def __init__(
        self,
        *,
        sql: str,
        conn_id: str,
        metric_prefix: str,
        tags: Mapping[str, str] | None = None,
        metrics_conn_id: str = MetricsHook.default_conn_name,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sql = sql
        self.conn_id = conn_id
        self.metric_prefix = metric_prefix
        self.tags = dict(tags or {})
        self.metrics_conn_id = metrics_conn_id

    @cached_property
    def metrics_hook(self) -> MetricsHook:
        """The hook that emits this task's metrics; created on first use, at execution time."""
        return MetricsHook(metrics_conn_id=self.metrics_conn_id)

    def get_db_hook(self) -> DbApiHook:
        """Return the common-sql hook for :attr:`conn_id`, whatever database it points at."""
        hook = BaseHook.get_hook(self.conn_id)
        if not isinstance(hook, DbApiHook):
            raise AirflowException(
                f"Connection {self.conn_id!r} has no SQL hook ({type(hook).__name__})."
            )
        return hook

    def execute(self, context: Context) -> dict[str, float]:
        columns, row, seconds = self._run_query(self.get_db_hook())
        names = [f"{self.metric_prefix}.{column}" for column in columns]
        metrics = dict(zip(names, row, strict=True))
        metrics[f"{self.metric_prefix}.query_seconds"] = seconds
        for name, value in metrics.items():
            self.metrics_hook.emit(name, value, self.tags)
        self.log.info("Emitted %d metrics: %s", len(metrics), ", ".join(metrics))
        return metrics

    def _run_query(self, db_hook: DbApiHook) -> tuple[list[str], list[float], float]:
        """Run the query and return its column names, its one row as numbers, and its duration."""
        started = time.monotonic()
        with closing(db_hook.get_conn()) as conn, closing(conn.cursor()) as cursor:
            cursor.execute(self.sql)
            columns = [description[0] for description in cursor.description or ()]
            rows = cursor.fetchall()
        seconds = time.monotonic() - started
        if len(rows) != 1:
            raise AirflowException(f"The metrics query returned {len(rows)} rows, not 1.")
        try:
            values = [float(value) for value in rows[0]]
        except (TypeError, ValueError) as err:
            raise AirflowException(f"A metrics query column is not a number: {err}") from err
        return columns, values, seconds
