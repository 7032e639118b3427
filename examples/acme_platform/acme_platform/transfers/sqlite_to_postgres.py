"""Transfer operator that copies the rows of a SQLite query into a PostgreSQL table."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from typing import TYPE_CHECKING, Any

from airflow.providers.postgres.hooks.postgres import PostgresHook
from airflow.providers.sqlite.hooks.sqlite import SqliteHook

from acme_platform._compat import BaseOperator

if TYPE_CHECKING:
    from airflow.sdk import Context


class SqliteToPostgresOperator(BaseOperator):
    """
    Copy the rows of a SQLite query into a PostgreSQL table.

    Staging databases on the platform are SQLite files; the warehouse is PostgreSQL. The rows are
    streamed from a SQLite cursor into ``target_table`` with ``PostgresHook.insert_rows``, so a
    large extract never sits in memory at once. The query's column names become the target
    columns, so alias them to match the table. Run ``preoperator`` first to make the load
    idempotent, for example by deleting the day's rows.

    :param sql: the query that selects the rows to copy, or the name of a ``.sql`` template file.
        Templated.
    :param target_table: the PostgreSQL table to insert into, optionally schema-qualified.
        Templated.
    :param sqlite_conn_id: ID of the SQLite connection to read from.
    :param postgres_conn_id: ID of the PostgreSQL connection to write to.
    :param preoperator: SQL to run on PostgreSQL before inserting, or the name of a ``.sql``
        template file. Templated.
    :param commit_every: number of rows to insert per transaction; 0 commits once, at the end.
    """

    template_fields: Sequence[str] = ("sql", "target_table", "preoperator")
    template_ext: Sequence[str] = (".sql",)
    template_fields_renderers = {"sql": "sql", "preoperator": "sql"}
    ui_color = "#fce5cd"

    def __init__(
        self,
        *,
        sql: str,
        target_table: str,
        sqlite_conn_id: str = "sqlite_default",
        postgres_conn_id: str = "postgres_default",
        preoperator: str | None = None,
        commit_every: int = 1000,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sql = sql
        self.target_table = target_table
        self.sqlite_conn_id = sqlite_conn_id
        self.postgres_conn_id = postgres_conn_id
        self.preoperator = preoperator
        self.commit_every = commit_every

    def execute(self, context: Context) -> None:
        source = SqliteHook(sqlite_conn_id=self.sqlite_conn_id)
        target = PostgresHook(postgres_conn_id=self.postgres_conn_id)
        with closing(source.get_conn()) as conn, closing(conn.cursor()) as cursor:
            self.log.info("Extracting from SQLite (%s): %s", self.sqlite_conn_id, self.sql)
            cursor.execute(self.sql)
            target_fields = [description[0] for description in cursor.description]
            if self.preoperator:
                self.log.info("Running preoperator on PostgreSQL: %s", self.preoperator)
                target.run(self.preoperator)
            self.log.info("Inserting rows into %s", self.target_table)
            target.insert_rows(
                table=self.target_table,
                rows=cursor,
                target_fields=target_fields,
                commit_every=self.commit_every,
            )
