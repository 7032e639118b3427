"""Airflow's own DAG objects, as a worker's ``DagBag`` loads them, turned into the model.

Runs in a worker process only. Nothing here imports Airflow's classes by name: the objects
come from Airflow's parse, and are read by their attributes, which Airflow 2.10 and 3.x share
(where they differ, both are tried).
"""

from __future__ import annotations

import datetime
import functools
import inspect
import linecache
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Any

from sphinxext_etl.collect import schedules
from sphinxext_etl.model.dags import (
    Asset,
    Callback,
    ConnectionUse,
    Dag,
    Dependency,
    FailurePolicy,
    Parsed,
    Task,
    TaskGroup,
    TaskStyle,
)

#: A task's own documentation attributes, first found wins, with the format of each.
DOC_ATTRIBUTES = (
    ("doc_md", "markdown"),
    ("doc_rst", "rst"),
    ("doc", "text"),
    ("doc_json", "json"),
    ("doc_yaml", "yaml"),
)
#: ``on_<event>_callback`` arguments of tasks and DAGs.
CALLBACK_EVENTS = ("failure", "retry", "success", "execute", "skipped")
#: Names of a notifier's fields that say where it sends its message.
TARGET_WORDS = ("channel", "recipient", "to", "email", "chat", "room", "topic", "target")


class Lines:
    """The line of the DAG file at which each DAG, task and task group was made: recorded as
    Airflow makes them, from the innermost frame of the file being parsed, so that DAGs and
    tasks made in loops and factory functions are located too."""

    def __init__(self) -> None:
        self.file = ""
        # id -> (the object, kept alive so that its id is not reused; its line)
        self._seen: dict[int, tuple[object, int]] = {}

    def note(self, obj: object) -> None:
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != self.file:
            frame = frame.f_back
        if frame is not None and id(obj) not in self._seen:
            self._seen[id(obj)] = (obj, frame.f_lineno)

    def of(self, obj: object) -> int:
        return self._seen.get(id(obj), (None, 0))[1]

    def start(self, file: str) -> None:
        self.file = file
        self._seen.clear()

    def wrap(self, cls: type, method: str) -> None:
        """Note the line of every object ``cls.method`` is called with (after the call)."""
        original = cls.__dict__.get(method)
        if original is None or getattr(original, "_etl_lines", False):
            return

        def noted(obj: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(obj, *args, **kwargs)
            self.note(args[0] if method == "add_task" else obj)
            return result

        noted._etl_lines = True  # type: ignore[attr-defined]
        setattr(cls, method, noted)


def dag_from_object(dag: Any, file: str, lines: Lines, module: str) -> Dag:
    """One DAG as Airflow parsed it. ``module`` is the name Airflow imported the file under:
    its classes and functions are named ``<file stem>.<name>``, as the static scan names them."""
    names = _Names(module, Path(file).stem)
    defaults = dict(getattr(dag, "default_args", None) or {})
    policy = _dag_policy(dag, defaults, names)
    tasks = [_task(t, lines, names, policy, dag) for t in dag.tasks]
    owners = dict.fromkeys(o for o in [defaults.get("owner"), *(t.owner for t in tasks)] if o)
    line_of = {t.task_id: t.line for t in tasks}
    edges = [(t.task_id, down) for t in dag.tasks for down in sorted(t.downstream_task_ids)]
    return Dag(
        dag_id=dag.dag_id,
        file=file,
        line=lines.of(dag),
        schedule=schedules.from_dag(dag),
        tags=tuple(sorted(str(t) for t in getattr(dag, "tags", None) or ())),
        owners=tuple(owners),
        owner_links=tuple(sorted((getattr(dag, "owner_links", None) or {}).items())),
        doc_md=_text(getattr(dag, "doc_md", None)),
        description=_text(getattr(dag, "description", None)),
        tasks=tuple(tasks),
        dependencies=tuple(Dependency(up, down, line_of.get(down, 0)) for up, down in edges),
        groups=tuple(_groups(dag, lines)),
        start_date=_iso(getattr(dag, "start_date", None) or defaults.get("start_date")),
        catchup=bool(dag.catchup) if getattr(dag, "catchup", None) is not None else None,
        timezone=schedules.timezone_name(getattr(dag, "timezone", None)),
        failure=policy,
        parsed=Parsed.IMPORTED,
    )


@dataclass(frozen=True)
class _Names:
    """Dotted paths of classes and functions, the DAG file's own under its stem."""

    module: str
    stem: str

    def of(self, obj: Any) -> str:
        module = getattr(obj, "__module__", "") or ""
        name = getattr(obj, "__qualname__", "") or getattr(obj, "__name__", "") or ""
        if not name:
            return self.of(type(obj))
        return f"{self.stem if module == self.module else module}.{name}"


def _task(task: Any, lines: Lines, names: _Names, defaults: FailurePolicy, dag: Any) -> Task:
    cls = getattr(task, "operator_class", None) or type(task)
    if not isinstance(cls, type):  # a mapped operator serialised for the scheduler
        cls = type(task)
    passed = _passed(task)
    held = functools.partial(_attribute, task, passed)
    doc, doc_format = next(
        ((_text(getattr(task, a, None)), f) for a, f in DOC_ATTRIBUTES if getattr(task, a, None)),
        ("", ""),
    )
    group = getattr(getattr(task, "task_group", None), "group_id", None) or ""
    own = _failure(held, names)
    decorator = _decorator(cls)
    function = getattr(held("python_callable"), "__code__", None)
    # The owner a DAG file gives (the task or ``default_args``), not Airflow's default one.
    owned = "owner" in passed or "owner" in (getattr(dag, "default_args", None) or {})
    return Task(
        task_id=task.task_id,
        operator=decorator or names.of(cls),
        line=lines.of(task) or lines.of(dag),
        style=TaskStyle.TASKFLOW if decorator else TaskStyle.OPERATOR,
        arguments=tuple(passed),
        bases=tuple(names.of(c) for c in cls.__mro__[1:] if c.__module__ == names.module),
        mapped=_is_mapped(task),
        function_line=_def_line(function, lines.file),
        group=group,
        doc=doc,
        doc_format=doc_format,
        connections=tuple(_connections(task, cls, passed)),
        outlets=_assets(getattr(task, "outlets", None)),
        inlets=_assets(getattr(task, "inlets", None)),
        triggers_dag=_literal(held("trigger_dag_id")),
        waits_for_dag=_literal(held("external_dag_id")),
        owner=str(getattr(task, "owner", "") or "") if owned else "",
        failure=None if _same(own, defaults) else own,
    )


def _decorator(cls: type) -> str:
    """A TaskFlow task's decorator, named as a DAG file imports it (``airflow.sdk.task.bash``),
    as the static scan names it; ``""`` for an operator."""
    if "DecoratedOperator" not in {c.__name__.lstrip("_") for c in cls.__mro__}:
        return ""
    name = str(getattr(cls, "custom_operator_name", "") or "@task").lstrip("@")
    return f"{'airflow.sdk' if 'airflow.sdk' in sys.modules else 'airflow.decorators'}.{name}"


def _def_line(code: Any, file: str) -> int:
    """The line of the ``def`` of a function the DAG file defines (its code starts at its
    first decorator), as the static scan gives it; 0 for one defined elsewhere."""
    if code is None or code.co_filename != file:
        return 0
    first = code.co_firstlineno
    for line in range(first, first + 50):
        text = linecache.getline(file, line).lstrip()
        if text.startswith(("def ", "async def ")):
            return line
    return first


def _is_mapped(task: Any) -> bool:
    return any(c.__name__ == "MappedOperator" for c in type(task).__mro__)


def _passed(task: Any) -> dict[str, Any]:
    """The keyword arguments the DAG file gave the operator (a mapped one: its partial and
    expand arguments)."""
    given = getattr(task, "_BaseOperator__init_kwargs", None)
    if isinstance(given, Mapping):
        return dict(given)
    found = dict(getattr(task, "partial_kwargs", None) or {})
    expand = getattr(task, "expand_input", None)
    found.update(getattr(expand, "value", None) or {})
    return found


def _attribute(task: Any, passed: Mapping[str, Any], name: str) -> Any:
    """What the task holds as ``name``, else what the DAG file passed as it (a mapped task
    holds only what it was given)."""
    value = getattr(task, name, None)
    return value if value is not None else passed.get(name)


def _connections(task: Any, cls: type, passed: Mapping[str, Any]) -> Iterator[ConnectionUse]:
    """Every ``*conn_id`` the task holds as a string: passed, or its operator's default (a
    mapped task holds none of its operator's attributes: its class's defaults stand)."""
    held = _defaults(cls) if _is_mapped(task) else vars(task)
    values = {**{k: v for k, v in held.items() if not k.startswith("_")}, **passed}
    for name, value in sorted(values.items()):
        if name.endswith("conn_id") and isinstance(value, str) and value:
            yield ConnectionUse(value, name, default=name not in passed)


def _defaults(cls: type) -> dict[str, Any]:
    """The defaults of the keyword arguments of ``cls`` and its bases' ``__init__``."""
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        try:
            parameters = inspect.signature(klass.__dict__["__init__"]).parameters.values()
        except (KeyError, TypeError, ValueError):
            continue
        found.update((p.name, p.default) for p in parameters if p.default is not p.empty)
    return found


def _assets(values: Any) -> tuple[Asset, ...]:
    return tuple(schedules.asset_from_object(v) for v in values or () if schedules.is_asset(v))


def _groups(dag: Any, lines: Lines) -> Iterator[TaskGroup]:
    for group_id, group in (getattr(dag, "task_group_dict", None) or {}).items():
        parent = getattr(getattr(group, "parent_group", None), "group_id", None) or ""
        tooltip = _text(getattr(group, "tooltip", ""))
        yield TaskGroup(group_id, parent, tooltip, lines.of(group))


def _dag_policy(dag: Any, defaults: Mapping[str, Any], names: _Names) -> FailurePolicy:
    """The DAG's defaults for its tasks (``default_args``), its run timeout and callbacks."""
    policy = _failure(defaults.get, names)
    own = _callbacks(lambda n: getattr(dag, n, None), names)
    return replace(
        policy,
        run_timeout=_seconds(getattr(dag, "dagrun_timeout", None)),
        callbacks=tuple(dict.fromkeys([*policy.callbacks, *own])),
        email=_emails(defaults.get("email")) if defaults.get("email_on_failure", True) else (),
    )


def _failure(held: Callable[[str], Any], names: _Names) -> FailurePolicy:
    """What a task does on failure, as Airflow resolved it (``held``: its own arguments over
    the DAG's ``default_args``)."""
    return FailurePolicy(
        retries=_int(held("retries")),
        retry_delay=_seconds(held("retry_delay")),
        retry_exponential_backoff=bool(held("retry_exponential_backoff")),
        execution_timeout=_seconds(held("execution_timeout")),
        callbacks=tuple(dict.fromkeys(_callbacks(held, names))),
        email=_emails(held("email")) if held("email_on_failure") else (),
    )


def _same(task: FailurePolicy, dag: FailurePolicy) -> bool:
    """Whether a task does what its DAG's defaults say (Airflow's own defaults count as the
    DAG's where ``default_args`` say nothing)."""
    return (
        (dag.retries is None or task.retries == dag.retries)
        and (dag.retry_delay is None or task.retry_delay == dag.retry_delay)
        and task.retry_exponential_backoff == dag.retry_exponential_backoff
        and task.execution_timeout == dag.execution_timeout
        and set(task.callbacks) <= set(dag.callbacks)
        and set(task.email) <= set(dag.email)
    )


def _callbacks(get: Callable[[str], Any], names: _Names) -> Iterator[Callback]:
    for event in CALLBACK_EVENTS:
        value = get(f"on_{event}_callback")
        for callback in value if isinstance(value, (list, tuple)) else [value]:
            if callback is not None:
                yield _callback(event, callback, names)


def _callback(event: str, callback: Any, names: _Names) -> Callback:
    """A function is named by its path; a notifier by its class, with its target where one of
    its fields says where it sends (a channel, an address) as a literal."""
    if callable(callback) and not hasattr(callback, "template_fields"):
        return Callback(event, names.of(callback))
    fields = [f for f in getattr(callback, "template_fields", ()) if isinstance(f, str)]
    targets = [
        getattr(callback, f, None) for f in fields if any(w in f.lower() for w in TARGET_WORDS)
    ]
    target = next(filter(None, map(_literal, targets)), "")
    return Callback(event, names.of(type(callback)), target, notifier=True)


def _literal(value: Any) -> str:
    """A string as given (a template is known only when the task runs), or a list of them."""
    if isinstance(value, str) and "{{" not in value:
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return ""


def _emails(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.replace(";", ",").split(",") if v.strip())
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return ()


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _seconds(value: Any) -> float | None:
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
