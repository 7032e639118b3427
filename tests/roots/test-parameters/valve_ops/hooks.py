"""The hook of the valve controller."""

from __future__ import annotations

from airflow.sdk import BaseHook


class ValveHook(BaseHook):
    """Talk to the valve controller.

    :param valve_conn_id: the controller's connection.
    """

    conn_name_attr = "valve_conn_id"
    default_conn_name = "valve_default"
    conn_type = "valve"
    hook_name = "Valve *controller*"

    def __init__(self, valve_conn_id: str = default_conn_name) -> None:
        super().__init__()
        self.valve_conn_id = valve_conn_id

    def test_connection(self) -> tuple[bool, str]:
        return True, "The controller answers."
