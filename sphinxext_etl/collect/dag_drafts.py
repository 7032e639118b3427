"""What the DAG scan builds while it walks a file: a DAG's draft (its arguments, tasks and
edges so far), the tasks made, the operands of dependencies, and the scope statements run in."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Any

from sphinxext_etl.collect.dag_source import DAG_DECORATOR, FileNames, Function, keywords_of
from sphinxext_etl.collect.schedule_source import from_source
from sphinxext_etl.model.dags import Dag, Dependency, Task

#: The ``DAG()`` arguments that give its schedule, in the order they are looked for.
SCHEDULE_ARGUMENTS = ("schedule", "schedule_interval", "timetable")


@dataclass
class DagDraft:
    """A DAG while its file is read: its arguments, and the tasks and edges found so far."""

    #: The DAG's own facts (the file is given, tasks and dependencies are added, at the end).
    header: Dag
    tasks: list[Task] = field(default_factory=list)
    #: ``(upstream, downstream) -> line``, first seen first.
    edges: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def read(cls, node: ast.Call | Function, names: FileNames) -> tuple[DagDraft, list[str]]:
        """A DAG from its ``DAG(...)`` call or ``@dag`` function, and the names of the
        arguments that are not literals."""
        if not isinstance(node, ast.Call):
            keywords = keywords_of(names.decorator(node, DAG_DECORATOR))
            given: ast.expr | None = keywords.get("dag_id", ast.Constant(node.name))
        else:
            keywords = keywords_of(node)
            given = node.args[0] if node.args else keywords.get("dag_id")
        values: dict[str, Any] = {"dag_id": names.doc(given) if given is not None else None}
        values["tags"] = names.strings(keywords["tags"]) if "tags" in keywords else ()
        default_args = names.mapping(keywords.get("default_args", ast.Dict([], [])))
        owner = (default_args or {}).get("owner")
        for name, fallback in (("description", None), ("doc_md", None), ("owner", owner)):
            argument = keywords.get(name, fallback)
            values[name] = names.doc(argument) if argument is not None else ""
        if not isinstance(node, ast.Call) and not values["doc_md"]:
            values["doc_md"] = ast.get_docstring(node) or ""
        # None marks an argument that is not a literal: reported, and recorded as empty.
        unread = [name for name, value in values.items() if value is None]
        values.update({name: () if name == "tags" else "" for name in unread})
        unread += ["default_args"] if default_args is None else []
        owner = values.pop("owner")
        values["owners"] = (owner,) if owner else ()
        schedule = next((keywords[n] for n in SCHEDULE_ARGUMENTS if n in keywords), None)
        values["schedule"] = from_source(schedule, names.dotted, names.constants)
        catchup = names.literal(keywords["catchup"]) if "catchup" in keywords else None
        values["catchup"] = catchup if isinstance(catchup, bool) else None
        return cls(Dag(file="", line=node.lineno, **values)), unread

    def depend(self, upstream: str, downstream: str, line: int) -> None:
        self.edges.setdefault((upstream, downstream), line)

    def unique_task_id(self, task_id: str) -> str:
        """Airflow's id for a TaskFlow task called again: ``extract__1``, ``extract__2``."""
        taken = {t.task_id for t in self.tasks}
        count = 1
        while task_id in taken and f"{task_id}__{count}" in taken:
            count += 1
        return f"{task_id}__{count}" if task_id in taken else task_id

    def dag(self, file: str) -> Dag:
        edges = tuple(Dependency(u, d, line) for (u, d), line in self.edges.items())
        return replace(self.header, file=file, tasks=tuple(self.tasks), dependencies=edges)


@dataclass(eq=False)
class Made:
    """A task as made, with the DAG it belongs to (None: no DAG the scan could read)."""

    task: Task
    draft: DagDraft | None


@dataclass
class Operand:
    """What a dependency expression stands for: the tasks that become upstream when it is on
    the left of ``>>`` (a group's leaves) and downstream when on the right (its roots)."""

    leaves: list[Made] = field(default_factory=list)
    roots: list[Made] = field(default_factory=list)

    @classmethod
    def of(cls, made: Made) -> Operand:
        return cls([made], [made])

    @classmethod
    def group(cls, made: list[Made]) -> Operand:
        """A task group: upstream from its leaves, downstream to its roots."""
        ids = {m.task.task_id for m in made}
        edges = {e for m in made if m.draft for e in m.draft.edges if set(e) <= ids}
        ups, downs = {u for u, _ in edges}, {d for _, d in edges}
        return cls(
            [m for m in made if m.task.task_id not in ups],
            [m for m in made if m.task.task_id not in downs],
        )

    def __add__(self, other: Operand) -> Operand:
        return Operand(self.leaves + other.leaves, self.roots + other.roots)


@dataclass
class Scope:
    """Where statements run: the DAG being defined, task variables and TaskFlow functions."""

    draft: DagDraft | None = None
    variables: dict[str, Operand] = field(default_factory=dict)
    taskflow: dict[str, Function] = field(default_factory=dict)
    group: str = ""  # the task group's id prefix
    made: list[Made] = field(default_factory=list)  # for a group's roots and leaves
