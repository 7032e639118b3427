"""The shipped DAG rules, which read the DAG scan and the DAG file's source with :mod:`ast`
(nothing is imported or run), each given a :class:`~.registry.DagContext`.

A DAG rule is a function ``(dag, context) -> Iterable[str | Violation]`` registered with
:func:`~sphinxext_etl.agreements.registry.dag_rule` when this module is imported; a
violation's line is a line of the DAG file (0: the DAG's). Nothing here knows about Sphinx.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sphinxext_etl.agreements.registry import (
    OPERATOR_KINDS,
    DagContext,
    Function,
    Violation,
    dag_rule,
)
from sphinxext_etl.collect.ast_facts import callee
from sphinxext_etl.model.dags import Dag, deprecated_uses

#: Calls that open a connection without naming a hook class (``BaseHook.get_connection``).
CONNECTION_CALLS = frozenset({"get_connection", "get_hook"})
#: Methods of hooks, connections and cursors that run the SQL they are given.
SQL_METHODS = frozenset(
    {"run", "get_records", "get_first", "get_pandas_df", "get_df", "execute", "executemany"}
)
CURSOR_METHODS = frozenset({"execute", "executemany"})
_SQL_TEXT = re.compile(
    r"\s*(select|insert|update|delete|merge|with|create|drop|alter|truncate|copy|call)\b"
    r"|.*\.sql\s*$",
    re.IGNORECASE | re.DOTALL,
)


# --- dag-has-doc ------------------------------------------------------------------------------


@dag_rule("dag-has-doc", "Every DAG has a doc_md that says what it does for the business.")
def dag_has_doc(dag: Dag, context: DagContext) -> Iterator[str]:
    if not dag.doc_md.strip() and not _unreadable_doc_md(dag, context):
        yield (
            f"DAG {dag.dag_id} has no doc_md: say what it does for the business "
            "(doc_md=__doc__ under a module docstring, or the @dag function's docstring)"
        )


def _unreadable_doc_md(dag: Dag, context: DagContext) -> bool:
    """Whether the DAG's call (or ``@dag`` decorator) passes a ``doc_md`` the scan could not
    read, such as ``Path(...).read_text()``: it has one (the scan warns that it is unread)."""
    calls: list[ast.expr] = []
    for node in ast.walk(context.tree) if context.tree else ():
        if isinstance(node, ast.Call) and node.lineno == dag.line:
            calls.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno == dag.line:
            calls += node.decorator_list
    return any(
        k.arg == "doc_md" and context.literal(k.value) is None and ast.unparse(k.value) != "__doc__"
        for call in calls
        if isinstance(call, ast.Call)
        for k in call.keywords
    )


# --- no-deprecated-in-dags --------------------------------------------------------------------


@dag_rule("no-deprecated-in-dags", "No task uses a deprecated component or parameter.")
def no_deprecated_in_dags(dag: Dag, context: DagContext) -> Iterator[Violation]:
    for task, message in deprecated_uses(dag, context.by_path):
        yield Violation(message, task.line)


# --- dag-uses-platform-operators --------------------------------------------------------------


@dataclass(frozen=True)
class InlineUse:
    """Something a task's own Python code does that operators are for."""

    #: ``hook`` (a hook class made), ``connection`` (``get_connection``/``get_hook``), ``sql``.
    kind: str
    line: int
    #: How the code says it: ``PostgresHook``, ``BaseHook.get_connection()``, ``hook.run()``.
    call: str
    #: For ``hook``: the hook's path, as the catalog names it where it can.
    hook: str = ""


#: kind -> (what the task does, what the platform operators listed do)
_PHRASES = {
    "hook": ("opens a connection with", "use it"),
    "connection": ("opens a connection with", "open connections"),
    "sql": ("runs SQL with", "run SQL"),
}


@dag_rule(
    "dag-uses-platform-operators",
    "Tasks' own Python code opens no connection and runs no SQL where platform operators do.",
)
def dag_uses_platform_operators(dag: Dag, context: DagContext) -> Iterator[Violation]:
    for task in dag.tasks:
        function = context.function(task)
        for use in inline_uses(function, context) if function is not None else ():
            operators = platform_operators(use, context)
            if operators:
                does, do = _PHRASES[use.kind]
                yield Violation(
                    f"task {task.task_id!r} {does} {use.call} in inline code; "
                    f"platform operators that {do}: {', '.join(operators)}",
                    use.line,
                )


def inline_uses(function: Function, context: DagContext) -> list[InlineUse]:
    """The hooks the function makes, the connections it opens and the SQL it runs (its own
    body, nested functions included; not the functions it calls), in line order."""
    hooks: dict[str, str] = {}  # variable -> the hook's path ("" when not known)
    cursors: set[str] = set()
    for node in ast.walk(function):
        for name, value in _bindings(node):
            if _is_cursor(value):
                cursors.add(name)
            elif isinstance(value, ast.Call) and _is_hook_class(value, context):
                hooks[name] = context.resolve(value.func)
            elif isinstance(value, ast.Call) and callee(value) in CONNECTION_CALLS:
                hooks[name] = ""
    found: list[InlineUse] = []
    for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
        label = f"{ast.unparse(call.func)}()"
        if _is_hook_class(call, context):
            found.append(InlineUse("hook", call.lineno, callee(call), context.resolve(call.func)))
        elif callee(call) in CONNECTION_CALLS:
            found.append(InlineUse("connection", call.lineno, label))
        elif _runs_sql(call, hooks, cursors, context):
            found.append(InlineUse("sql", call.lineno, label))
    return sorted(found, key=lambda use: (use.line, use.kind))


def platform_operators(use: InlineUse, context: DagContext) -> list[str]:
    """The class names of the in-house operators (not deprecated) that do what ``use``
    does inline: that use the hook, open connections, or run SQL."""
    platform = [
        c for c in context.catalog if c.in_house and c.kind in OPERATOR_KINDS and not c.deprecated
    ]
    if use.kind == "connection":
        return sorted(c.name for c in platform if c.uses_hooks)
    if use.kind == "sql":
        sql = (
            c for c in platform if c.parameter("sql") or any(map(context.is_sql_hook, c.uses_hooks))
        )
        return sorted(c.name for c in sql)
    known = context.by_path.get(use.hook)
    if known is None:  # a hook the catalog does not hold: matched by its class name
        return sorted(
            c.name for c in platform if any(h.rpartition(".")[2] == use.call for h in c.uses_hooks)
        )
    # The hook and those it derives from: an operator on DbApiHook takes PostgresHook's
    # connections too.
    users = {c.path for hook in (use.hook, *known.bases) for c in context.catalog.used_by(hook)}
    return sorted(c.name for c in platform if c.path in users)


def _is_hook_class(call: ast.Call, context: DagContext) -> bool:
    name = callee(call)
    return (name.endswith("Hook") and name[:1].isupper()) or name in context.hook_names


def _is_cursor(node: ast.expr) -> bool:
    """``conn.cursor()``, also wrapped: ``closing(conn.cursor())``."""
    if not isinstance(node, ast.Call):
        return False
    return callee(node) == "cursor" or any(_is_cursor(a) for a in node.args)


def _bindings(node: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    """``(name, value)`` for what ``node`` binds to a plain name: assignments, ``with ... as``."""
    if isinstance(node, ast.Assign):
        yield from ((t.id, node.value) for t in node.targets if isinstance(t, ast.Name))
    elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
        if isinstance(node.target, ast.Name):
            yield node.target.id, node.value
    elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
        yield node.optional_vars.id, node.context_expr


def _runs_sql(
    call: ast.Call, hooks: dict[str, str], cursors: set[str], context: DagContext
) -> bool:
    """A cursor's ``execute``; any SQL method given ``sql=`` or SQL text (``"SELECT ..."``,
    ``"report.sql"``); or a SQL method of a SQL hook (one derived from ``DbApiHook``)."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in SQL_METHODS:
        return False
    receiver = func.value
    name = receiver.id if isinstance(receiver, ast.Name) else ""
    if func.attr in CURSOR_METHODS and (_is_cursor(receiver) or name in cursors):
        return True
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if "sql" in keywords or (call.args and _is_sql_text(call.args[0], context)):
        return True
    if isinstance(receiver, ast.Call) and _is_hook_class(receiver, context):
        return context.is_sql_hook(context.resolve(receiver.func))
    return name in hooks and context.is_sql_hook(hooks[name])


def _is_sql_text(node: ast.expr, context: DagContext) -> bool:
    value = context.literal(node)
    if isinstance(node, ast.JoinedStr) and node.values:  # an f-string: its literal start
        value = getattr(node.values[0], "value", None)
    return isinstance(value, str) and bool(_SQL_TEXT.match(value))
