"""Hook to the depot's stock database."""

from __future__ import annotations

from airflow.sdk import BaseHook


class DepotHook(BaseHook):
    """
    Read and write the depot's stock levels.

    :param depot_conn_id: ID of the depot connection.
    """

    conn_name_attr = "depot_conn_id"
    default_conn_name = "depot_default"
    conn_type = "depot"
    hook_name = "Depot"

    def __init__(self, depot_conn_id: str = default_conn_name) -> None:
        super().__init__()
        self.depot_conn_id = depot_conn_id
