"""What DAG files use: their DAGs, tasks and dependencies, as read statically from the source.

Plain frozen data like the catalog, with its own JSON round trip (:func:`dumps_scan`,
:func:`loads_scan`). Operator paths are the catalog's component paths where the scan could map
them, so callers can look tasks up in a :class:`~sphinxext_etl.model.Catalog`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sphinxext_etl.model import Component, source_location
from sphinxext_etl.model.json import versioned_dumps, versioned_loads

#: Bump when the JSON shape of a :class:`DagScan` changes.
USAGE_SCHEMA_VERSION = 1


class TaskStyle(str, enum.Enum):
    """How a DAG file creates a task."""

    #: ``BashOperator(task_id=...)``, directly or through a helper function.
    OPERATOR = "operator"
    #: A ``@task``-decorated function, called in the DAG.
    TASKFLOW = "taskflow"


@dataclass(frozen=True)
class Task:
    """One task a DAG file creates."""

    #: ``""`` when it is not statically readable (a problem says why).
    task_id: str
    #: The operator class's dotted path (the catalog's, where it maps to one); for TaskFlow,
    #: the decorator's (``airflow.sdk.task.bash``); for a class the DAG file defines,
    #: ``<file stem>.<ClassName>``.
    operator: str
    line: int
    style: TaskStyle = TaskStyle.OPERATOR
    #: Names of the keyword arguments the operator (or TaskFlow decorator) is given, as
    #: written; ``**kwargs`` spreads are not expanded.
    arguments: tuple[str, ...] = ()
    #: For a class the DAG file defines: its bases' dotted paths, nearest first.
    bases: tuple[str, ...] = ()
    #: Dynamic task mapping (``.expand()``): one record stands for every mapped instance.
    mapped: bool = False
    #: How the task was found, where it is not a plain call (``made by make_export()``).
    note: str = ""
    #: The line of the ``def`` of the Python function the task runs, where the DAG file
    #: defines it: a TaskFlow function, or a function passed as ``python_callable=``
    #: (0: none, or one defined elsewhere).
    function_line: int = 0

    @property
    def candidate_paths(self) -> tuple[str, ...]:
        """The paths to look up in a catalog, the operator's own first, then its bases."""
        return (self.operator, *self.bases)


@dataclass(frozen=True)
class Dependency:
    """``upstream >> downstream``, by task id."""

    upstream: str
    downstream: str
    line: int


@dataclass(frozen=True)
class Dag:
    """One DAG a file defines."""

    dag_id: str
    file: str
    line: int
    #: Source text of ``schedule=``, ``schedule_interval=`` or ``timetable=``; ``"None"``
    #: when none is given.
    schedule: str = "None"
    tags: tuple[str, ...] = ()
    owner: str = ""
    doc_md: str = ""
    description: str = ""
    tasks: tuple[Task, ...] = ()
    dependencies: tuple[Dependency, ...] = ()

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.task_id == task_id), None)

    @property
    def location(self) -> str:
        return source_location(self.file, self.line)


@dataclass(frozen=True)
class DagProblem:
    """Something in a DAG file the scan could not read statically, so did not guess."""

    file: str
    line: int
    message: str

    @property
    def location(self) -> str:
        """``file:line`` for Sphinx's logger."""
        return source_location(self.file, self.line)


@dataclass(frozen=True)
class DagScan:
    """Everything a scan of DAG files found."""

    dags: tuple[Dag, ...] = ()
    problems: tuple[DagProblem, ...] = ()
    #: ``(file, count of unresolved constructs)`` for every file scanned, in scan order.
    unresolved: tuple[tuple[str, int], ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(file for file, _ in self.unresolved)

    def dag(self, dag_id: str) -> Dag | None:
        return next((d for d in self.dags if d.dag_id == dag_id), None)

    def unresolved_in(self, file: str) -> int:
        return dict(self.unresolved).get(file, 0)


def component_of(task: Task, by_path: Mapping[str, Component]) -> Component | None:
    """The catalog component a task runs: its operator's, else its nearest base's (a class the
    DAG file defines on a platform operator)."""
    return next((by_path[p] for p in task.candidate_paths if p in by_path), None)


def deprecated_uses(dag: Dag, by_path: Mapping[str, Component]) -> Iterator[tuple[Task, str]]:
    """``(task, message)`` for each use of a deprecated component, or of a deprecated
    parameter, in one DAG."""
    for task in dag.tasks:
        component = component_of(task, by_path)
        if component is None:
            continue
        if component.deprecation is not None:
            reason = component.deprecation.message or "no reason given"
            yield task, f"task {task.task_id!r} uses the deprecated {component.path} ({reason})"
        for name in task.arguments:
            parameter = component.parameter(name)
            if parameter is not None and parameter.deprecation is not None:
                reason = parameter.deprecation.message or "no reason given"
                yield (
                    task,
                    (
                        f"task {task.task_id!r} passes the deprecated parameter {name!r} of "
                        f"{component.name} ({reason})"
                    ),
                )


# --- JSON ----------------------------------------------------------------------------------------


def task_from_json(data: Mapping[str, Any]) -> Task:
    values = dict(data)
    values["style"] = TaskStyle(values.get("style", TaskStyle.OPERATOR.value))
    for name in ("arguments", "bases"):
        values[name] = tuple(values.get(name, ()))
    return Task(**values)


def dag_from_json(data: Mapping[str, Any]) -> Dag:
    values = dict(data)
    values["tags"] = tuple(values.get("tags", ()))
    values["tasks"] = tuple(task_from_json(t) for t in values.get("tasks", ()))
    values["dependencies"] = tuple(Dependency(**d) for d in values.get("dependencies", ()))
    return Dag(**values)


def scan_from_json(data: Mapping[str, Any]) -> DagScan:
    return DagScan(
        dags=tuple(dag_from_json(d) for d in data.get("dags", ())),
        problems=tuple(DagProblem(**p) for p in data.get("problems", ())),
        unresolved=tuple((str(f), int(n)) for f, n in data.get("unresolved", ())),
    )


def dumps_scan(scan: DagScan, *, indent: int | None = 2) -> str:
    return versioned_dumps(scan, USAGE_SCHEMA_VERSION, indent=indent)


def loads_scan(text: str) -> DagScan:
    return scan_from_json(versioned_loads(text, USAGE_SCHEMA_VERSION, "DAG scan"))
