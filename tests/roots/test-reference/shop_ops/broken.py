"""A module that cannot be imported: a dependency is missing."""

from __future__ import annotations

from typing import Any

import shop_dependency_that_is_not_installed  # noqa: F401
from airflow.sdk import BaseSensorOperator


class ShelfSensor(BaseSensorOperator):
    """
    Wait until a shelf is restocked.

    Restocking is reported by the warehouse robot.

    :param shelf: the shelf to watch.
    """

    def __init__(self, *, shelf: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shelf = shelf

    def poke(self, context: Any) -> bool:
        return True
