"""Exports to the shop's partners."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator


class ExportOperator(BaseOperator):
    """
    Export the day's orders to a partner.

    The upload goes through :external+boto3:py:class:`boto3.session.Session`, see
    :ref:`howto/operator:ExportOperator` and :doc:`/howto/exports`.

    .. spelling:word-list::

        boto

    .. exampleinclude:: /../../shop/example_dags/example_export.py
        :language: python

    .. seealso::
        The partner's API documentation.

    :param partner: the partner to export to.
    """

    template_fields = ("partner",)

    def __init__(self, *, partner: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.partner = partner

    def execute(self, context: Any) -> None:
        return None
