"""The exporter of the old order system."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator


class ExportOperator(BaseOperator):
    """
    Export orders the old way, through :external+boto3:py:class:`boto3.client`.

    .. spelling:word-list::

        orders
    """

    def execute(self, context: Any) -> None:
        return None
