"""Transfers between the depot and SQLite."""

from __future__ import annotations

from typing import Any

from airflow.providers.sqlite.hooks.sqlite import SqliteHook
from airflow.sdk import BaseOperator

from depot_ops.hooks import DepotHook


class DepotToSqliteOperator(BaseOperator):
    """
    Copy the depot's stock levels into a SQLite table.

    :param table: the SQLite table to fill.
    """

    def __init__(self, *, table: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.table = table

    def execute(self, context: Any) -> None:
        DepotHook()
        SqliteHook()
