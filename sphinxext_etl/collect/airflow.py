"""The one place that imports Airflow's base classes, for Airflow 3 (``airflow.sdk``) and 2.10+."""

from __future__ import annotations

import functools
import importlib
import os
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sphinxext_etl.model import Kind

#: Where each base lives, newest Airflow first. Airflow 3 keeps shims at the 2.x paths that
#: redirect to the SDK, so the SDK must win or subclass checks would see two classes.
_CANDIDATES: dict[Kind, tuple[str, ...]] = {
    Kind.SENSOR: ("airflow.sdk:BaseSensorOperator", "airflow.sensors.base:BaseSensorOperator"),
    Kind.OPERATOR: ("airflow.sdk:BaseOperator", "airflow.models.baseoperator:BaseOperator"),
    Kind.HOOK: ("airflow.sdk:BaseHook", "airflow.hooks.base:BaseHook"),
    Kind.TRIGGER: ("airflow.triggers.base:BaseTrigger",),
    Kind.NOTIFIER: (
        "airflow.sdk.bases.notifier:BaseNotifier",
        "airflow.notifications.basenotifier:BaseNotifier",
    ),
}


@dataclass(frozen=True)
class Bases:
    """The resolved Airflow base classes, most specific kind first."""

    classes: tuple[tuple[Kind, type], ...]

    def kind_of(self, cls: type) -> Kind | None:
        """The kind of ``cls`` by subclassing, or None if it is no Airflow component."""
        return next((kind for kind, base in self.classes if inherits(cls, base)), None)

    def is_base(self, cls: type) -> bool:
        return any(cls is base for _, base in self.classes)


def inherits(cls: object, base: type) -> bool:
    """Whether ``cls`` is a class below ``base``. Read from its MRO, not with ``issubclass``:
    Airflow's bases are ABCs, whose check records every class it is asked about in the caches
    of every subclass it walks (google's 242 modules: 20 MB of its worker's memory)."""
    return isinstance(cls, type) and cls is not base and base in cls.__mro__


def ensure_airflow_home() -> None:
    """Airflow writes config and logs under AIRFLOW_HOME on import; keep that out of ~."""
    if "AIRFLOW_HOME" not in os.environ:
        os.environ["AIRFLOW_HOME"] = os.path.join(tempfile.gettempdir(), "sphinxext-etl-airflow")


def _resolve(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = importlib.import_module(module_name)
            return getattr(module, attr)
    except (ImportError, AttributeError):
        return None


def _first(candidates: tuple[str, ...]) -> Any:
    """The first of ``candidates`` (``module:attr``) this Airflow has, or None."""
    return next((found for found in map(_resolve, candidates) if found is not None), None)


@functools.cache
def airflow_bases() -> Bases:
    """Import Airflow and resolve its base classes once per process."""
    ensure_airflow_home()
    resolved = ((kind, _first(candidates)) for kind, candidates in _CANDIDATES.items())
    return Bases(tuple((kind, base) for kind, base in resolved if base is not None))


@dataclass(frozen=True)
class DagClasses:
    """What parsing DAG files the way Airflow does takes: its ``DagBag``, and the classes
    whose objects it makes (to note where in a file each is made)."""

    dag_bag: type
    dag: type
    task_group: type
    #: The name Airflow imports a DAG file under (it makes one up to keep files apart).
    module_name: Callable[[str], str]


#: Newest Airflow first, as for the bases: Airflow 3 keeps warning shims at the 2.x paths.
_DAG_CANDIDATES = {
    "dag_bag": ("airflow.dag_processing.dagbag:DagBag", "airflow.models.dagbag:DagBag"),
    "dag": ("airflow.sdk.definitions.dag:DAG", "airflow.models.dag:DAG"),
    "task_group": (
        "airflow.sdk.definitions.taskgroup:TaskGroup",
        "airflow.utils.task_group:TaskGroup",
    ),
    "module_name": ("airflow.utils.file:get_unique_dag_module_name",),
}


@functools.cache
def dag_classes() -> DagClasses | None:
    """Airflow's DAG parsing classes (None when this Airflow has none of them)."""
    ensure_airflow_home()
    found = {name: _first(candidates) for name, candidates in _DAG_CANDIDATES.items()}
    if any(c is None for c in found.values()):
        return None
    return DagClasses(**found)
