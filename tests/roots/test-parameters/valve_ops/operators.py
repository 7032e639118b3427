"""Operators that open valves."""

from __future__ import annotations

from airflow.sdk import BaseOperator

from valve_ops.hooks import ValveHook


class ValveBaseOperator(BaseOperator):
    """The base of the valve operators.

    :param retries_on_leak: how often to try again when a valve leaks.
    """

    def __init__(self, *, retries_on_leak: int = 2, **kwargs) -> None:
        super().__init__(**kwargs)
        self.retries_on_leak = retries_on_leak


class OpenValveOperator(ValveBaseOperator):
    """Open a valve.

    :param conn_id: The connection to use, see ``conn_id`` and *this* note.
    :param valve: - a leading dash stays text; ends with a colon::
    :param pressure: in bar.
    """

    template_fields = ("conn_id",)

    def __init__(
        self, *, valve, flow: int, pressure=1.5, conn_id: str = "db_default", **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.valve, self.flow, self.pressure, self.conn_id = valve, flow, pressure, conn_id

    def execute(self, context) -> None:
        ValveHook(self.conn_id).test_connection()
