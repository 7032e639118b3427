"""DAGs as documents: what each DAG file defines, runs, reads, produces and touches.

Plain frozen data like the catalog, which publishes them. A DAG is read the way Airflow parses
it (imported, in a worker process) or, where that fails or is not wanted, statically from the
source; :attr:`Dag.parsed` says which.
Operator paths are the catalog's component paths where they map to one, so callers can look
tasks up in a :class:`~sphinxext_etl.model.Catalog`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from sphinxext_etl.model.core import Component, source_location


class Parsed(str, enum.Enum):
    """How a DAG was read."""

    #: Imported as Airflow's ``DagBag`` imports it: exactly what Airflow runs.
    IMPORTED = "imported"
    #: Read from the source with :mod:`ast`, nothing run (``etl_dag_parse = "static"``, or
    #: the file failed to import).
    STATIC = "static"


class ScheduleKind(str, enum.Enum):
    """What decides when a DAG runs."""

    #: ``schedule=None``: only when triggered (by hand, the API or another DAG).
    NONE = "none"
    #: A cron expression (presets such as ``@daily`` are given as the cron they stand for).
    CRON = "cron"
    #: A fixed interval (``timedelta``), in :attr:`Schedule.seconds`.
    INTERVAL = "interval"
    #: Updates to assets (datasets on Airflow 2): :attr:`Schedule.assets`.
    ASSETS = "assets"
    #: ``@once``.
    ONCE = "once"
    #: ``@continuous``: a new run as soon as the last one ends.
    CONTINUOUS = "continuous"
    #: Another timetable: its class, and its own description where it has one.
    TIMETABLE = "timetable"
    #: A source expression the static scan cannot evaluate.
    EXPRESSION = "expression"


@dataclass(frozen=True)
class Asset:
    """An asset (a dataset on Airflow 2) a DAG consumes or a task produces."""

    uri: str
    name: str = ""
    group: str = ""
    #: ``asset``, ``alias`` (an ``AssetAlias``: resolved only when the task runs) or ``ref``
    #: (``Asset.ref(name=...)``).
    kind: str = "asset"

    @property
    def key(self) -> str:
        """What identifies the asset across DAGs: its URI, else (an alias or a ref) its name."""
        return self.uri or f"{self.kind}:{self.name}"

    @property
    def title(self) -> str:
        """The name a reader knows it by: the name, else the URI."""
        return self.name or self.uri


@dataclass(frozen=True)
class AssetCondition:
    """An asset schedule's condition: one asset, or all/any of nested conditions."""

    #: ``asset``, ``all`` or ``any``.
    operator: str
    asset: Asset | None = None
    parts: tuple[AssetCondition, ...] = ()

    def assets(self) -> Iterator[Asset]:
        """Every asset the condition names, in order, once each."""
        return iter(_once_each(self._walk()))

    def _walk(self) -> Iterator[Asset]:
        if self.asset is not None:
            yield self.asset
        for part in self.parts:
            yield from part._walk()


def _once_each(assets: Iterable[Asset]) -> tuple[Asset, ...]:
    """The assets in order, the first of each key only."""
    found: dict[str, Asset] = {}
    for asset in assets:
        found.setdefault(asset.key, asset)
    return tuple(found.values())


@dataclass(frozen=True)
class Schedule:
    """When a DAG runs, as Airflow reads it (or the static scan could)."""

    kind: ScheduleKind = ScheduleKind.NONE
    #: The raw expression shown beside the words: ``0 2 * * *``, ``@daily``, ``1 day, 0:00:00``,
    #: the timetable's class, the source text.
    expression: str = "None"
    #: The cron expression a preset stands for, or the expression for a cron schedule.
    cron: str = ""
    #: An interval schedule's length.
    seconds: float = 0.0
    assets: AssetCondition | None = None
    #: The schedule's own timezone, where it has one (a cron timetable's).
    timezone: str = ""
    #: A custom timetable's own description (``Timetable.description``), where it has one.
    description: str = ""


@dataclass(frozen=True)
class TaskGroup:
    """A task group: its dotted id, and the group it is in (``""``: the DAG's root)."""

    group_id: str
    parent: str = ""
    tooltip: str = ""
    line: int = 0


@dataclass(frozen=True)
class ConnectionUse:
    """A connection id a task uses: passed as ``parameter``, or its operator's default."""

    conn_id: str
    parameter: str = ""
    #: True when the task does not pass it and the operator's default applies.
    default: bool = False


@dataclass(frozen=True)
class Callback:
    """What runs when a task or DAG fails (or retries, succeeds): a function or a notifier."""

    #: ``failure``, ``retry``, ``success``, ``execute``, ``skipped``.
    event: str
    #: The function's or notifier class's dotted path.
    path: str
    #: A notifier's target where it is a literal (a Slack channel, an e-mail address).
    target: str = ""
    notifier: bool = False


@dataclass(frozen=True)
class FailurePolicy:
    """What happens when something fails: retries, time limits, callbacks."""

    retries: int | None = None
    #: Seconds between tries.
    retry_delay: float | None = None
    retry_exponential_backoff: bool = False
    #: A task's execution timeout in seconds.
    execution_timeout: float | None = None
    #: A DAG run's timeout in seconds (the DAG's ``dagrun_timeout``).
    run_timeout: float | None = None
    callbacks: tuple[Callback, ...] = ()
    #: Who is told by e-mail (``email`` with ``email_on_failure``).
    email: tuple[str, ...] = ()


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
    #: The task group it is in (dotted, as in its task_id), ``""`` for none.
    group: str = ""
    #: The task's own documentation (``doc_md``, ``doc_rst``, ``doc``...), and its format:
    #: ``markdown``, ``rst``, ``text``, ``json`` or ``yaml``.
    doc: str = ""
    doc_format: str = ""
    connections: tuple[ConnectionUse, ...] = ()
    #: What the task produces (its outlets) and reads (its inlets).
    outlets: tuple[Asset, ...] = ()
    inlets: tuple[Asset, ...] = ()
    #: The DAG a ``TriggerDagRunOperator`` triggers, or an ``ExternalTaskSensor`` waits for,
    #: where the id is known.
    triggers_dag: str = ""
    waits_for_dag: str = ""
    owner: str = ""
    #: Where the task's retries, timeouts and callbacks differ from its DAG's defaults; None
    #: when the static scan did not read them.
    failure: FailurePolicy | None = None


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
    schedule: Schedule = Schedule()
    tags: tuple[str, ...] = ()
    #: Every owner of its tasks, the DAG's default first.
    owners: tuple[str, ...] = ()
    #: ``(owner, link)`` from the DAG's ``owner_links``.
    owner_links: tuple[tuple[str, str], ...] = ()
    doc_md: str = ""
    description: str = ""
    tasks: tuple[Task, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    groups: tuple[TaskGroup, ...] = ()
    #: ISO date and time, as given.
    start_date: str = ""
    #: None when not known (the static scan read no literal).
    catchup: bool | None = None
    #: The DAG's timezone (its start date's), ``""`` where not known.
    timezone: str = ""
    #: The DAG's defaults for its tasks and its own run timeout and callbacks.
    failure: FailurePolicy = FailurePolicy()
    parsed: Parsed = Parsed.STATIC

    @property
    def owner(self) -> str:
        """The DAG's owners as one text (``"sales-data, crm"``)."""
        return ", ".join(self.owners)

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.task_id == task_id), None)

    @property
    def consumes(self) -> tuple[Asset, ...]:
        """The assets whose updates schedule the DAG."""
        condition = self.schedule.assets
        return tuple(condition.assets()) if condition is not None else ()

    @property
    def produces(self) -> tuple[Asset, ...]:
        """The assets its tasks produce (their outlets), once each."""
        return _once_each(a for task in self.tasks for a in task.outlets)

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

    def dag(self, dag_id: str) -> Dag | None:
        return next((d for d in self.dags if d.dag_id == dag_id), None)

    @classmethod
    def gathered(cls, files: Iterable[FileScan]) -> DagScan:
        """The scan of the files, in order, each counted with its problems, and references
        to assets by name resolved (:func:`resolve_asset_refs`)."""
        found = list(files)
        return cls(
            resolve_asset_refs(dag for _, dags, _ in found for dag in dags),
            tuple(problem for _, _, problems in found for problem in problems),
            tuple((file, len(problems)) for file, _, problems in found),
        )


#: What one file gave: its path, its DAGs, and what in it is not read.
FileScan = tuple[str, Sequence[Dag], Sequence[DagProblem]]


def resolve_asset_refs(dags: Iterable[Dag]) -> tuple[Dag, ...]:
    """The DAGs with each reference to an asset by name (``Asset.ref(name=...)``) replaced by
    the asset of that name that another DAG declares, as Airflow resolves it when it runs;
    a name no asset (or more than one) declares stays a reference."""
    dags = tuple(dags)
    declared: dict[str, set[Asset]] = {}
    for dag in dags:
        for asset in [*dag.consumes, *(a for t in dag.tasks for a in (*t.outlets, *t.inlets))]:
            if asset.kind == "asset" and asset.name:
                declared.setdefault(asset.name, set()).add(asset)
    named = {name: next(iter(found)) for name, found in declared.items() if len(found) == 1}

    def resolved(asset: Asset) -> Asset:
        return named.get(asset.name, asset) if asset.kind == "ref" and not asset.uri else asset

    def condition(found: AssetCondition) -> AssetCondition:
        asset = resolved(found.asset) if found.asset is not None else None
        return replace(found, asset=asset, parts=tuple(map(condition, found.parts)))

    def task(found: Task) -> Task:
        outlets, inlets = tuple(map(resolved, found.outlets)), tuple(map(resolved, found.inlets))
        return replace(found, outlets=outlets, inlets=inlets)

    def dag_of(found: Dag) -> Dag:
        schedule = found.schedule
        if schedule.assets is not None:
            schedule = replace(schedule, assets=condition(schedule.assets))
        return replace(found, schedule=schedule, tasks=tuple(map(task, found.tasks)))

    return tuple(map(dag_of, dags)) if named else dags


def component_of(task: Task, by_path: Mapping[str, Component]) -> Component | None:
    """The catalog component a task runs: its operator's, else its nearest base's (a class the
    DAG file defines on a platform operator)."""
    return next((by_path[p] for p in (task.operator, *task.bases) if p in by_path), None)


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
                used = f"the deprecated parameter {name!r} of {component.name}"
                yield task, f"task {task.task_id!r} passes {used} ({reason})"
