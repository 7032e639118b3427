"""Airflow base classes, imported from Airflow 3 (``airflow.sdk``) or else from Airflow 2.10."""

from __future__ import annotations

try:
    from airflow.sdk import BaseHook, BaseOperator, BaseSensorOperator
    from airflow.sdk.bases.notifier import BaseNotifier
except ImportError:  # Airflow 2.10
    from airflow.hooks.base import BaseHook  # type: ignore[no-redef,attr-defined]
    from airflow.models.baseoperator import BaseOperator  # type: ignore[no-redef]
    from airflow.notifications.basenotifier import BaseNotifier  # type: ignore[no-redef]
    from airflow.sensors.base import BaseSensorOperator  # type: ignore[no-redef]

# Triggers run in the triggerer, which keeps them in airflow-core on both major versions.
from airflow.triggers.base import BaseTrigger, TriggerEvent

__all__ = [
    "BaseHook",
    "BaseNotifier",
    "BaseOperator",
    "BaseSensorOperator",
    "BaseTrigger",
    "TriggerEvent",
]
