"""Operators that move stock around the depot."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator

from depot_ops.hooks import DepotHook


class RestockOperator(BaseOperator):
    """
    Restock a shelf from the depot.

    The shelf is filled up to its capacity.

    :param shelf: the shelf to restock. Templated.
    """

    template_fields = ("shelf",)

    def __init__(self, *, shelf: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shelf = shelf

    def execute(self, context: Any) -> None:
        DepotHook()


class CountStockOperator(BaseOperator):
    """
    Count the stock of every shelf.

    The counts are pushed to XCom.
    """

    def execute(self, context: Any) -> None:
        DepotHook()
