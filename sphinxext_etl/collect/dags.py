"""Static scan of DAG files, never imported: their DAGs, tasks and dependencies, read with
:mod:`ast` (see :mod:`.dag_source` for how a name becomes a catalog path).

- DAGs: ``with DAG(...)``, ``dag = DAG(...)`` with ``dag=dag``, ``@dag`` functions (dag_id
  from ``dag_id=`` or the function's name, whose docstring is the doc_md, as in Airflow).
- Tasks: operator calls; ``@task`` function calls (a repeat gets Airflow's ``__1`` suffix);
  ``.partial().expand()`` (one record, ``mapped``); ``with TaskGroup(...)`` (ids prefixed); a
  call of a helper function of the file that makes one operator (recorded at the call, its
  task_id the literal the helper passes through). A class the file defines stays the task's
  operator (``<file stem>.<Class>``), with its bases.
- Dependencies: ``>>``, ``<<``, lists, ``chain``, ``chain_linear``, ``cross_downstream``,
  ``set_upstream``, ``set_downstream``, TaskFlow data passing; variables tracked by name.

Tasks made in loops, comprehensions or under a condition, ids that are not literals, names
that do not resolve and ties between catalog paths are problems with a line, never guessed.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sphinxext_etl.collect.dag_drafts import DagDraft, Made, Operand, Scope
from sphinxext_etl.collect.dag_source import (
    COMPREHENSIONS,
    DAG_DECORATOR,
    DEPENDENCY_FUNCTIONS,
    TASK_DECORATOR,
    TASK_GROUP_DECORATOR,
    Calls,
    FileNames,
    Function,
    KnownPaths,
    airflow_name,
    arguments_of,
    helper_call,
    index_paths,
    keywords_of,
    main_guard,
    mapped,
    unwrap,
)
from sphinxext_etl.model.dags import Dag, DagProblem, DagScan, Task, TaskStyle


def scan(paths: Iterable[Path | str], known_paths: Collection[str] = ()) -> DagScan:
    """Read every ``.py`` file of ``paths`` (folders walked recursively, in sorted order);
    ``known_paths``, the catalog's component paths, name the operators as the catalog does."""
    known = index_paths(known_paths)
    return DagScan.gathered((p.as_posix(), *scan_file(p, known)) for p in dag_files(paths))


def dag_files(paths: Iterable[Path | str]) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        found += sorted(p for p in path.rglob("*.py") if p.is_file()) if path.is_dir() else [path]
    return found


def scan_file(path: Path, known: KnownPaths) -> tuple[list[Dag], list[DagProblem]]:
    """The DAGs of one file and what in it is not read (a syntax error: one problem)."""
    file = path.as_posix()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=file)
    except SyntaxError as err:
        return [], [DagProblem(file, err.lineno or 0, f"syntax error: {err.msg}")]
    except (OSError, UnicodeDecodeError, ValueError) as err:
        return [], [DagProblem(file, 0, f"cannot be read: {err}")]
    reader = FileReader(file, FileNames.read(tree, path.stem, known))
    reader.statements(tree.body, Scope())
    return [d.dag(file) for d in reader.drafts], reader.problems


@dataclass
class FileReader:
    """Reads one DAG file's statements in order, as Python would run them."""

    file: str
    names: FileNames
    drafts: list[DagDraft] = field(default_factory=list)
    problems: list[DagProblem] = field(default_factory=list)
    dag_variables: dict[str, DagDraft] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)  # defined so far, by name

    def problem(self, node: ast.AST, message: str) -> None:
        self.problems.append(DagProblem(self.file, getattr(node, "lineno", 0), message))

    def statements(self, body: list[ast.stmt], scope: Scope) -> None:
        for stmt in body:
            self.statement(stmt, scope)

    def statement(self, stmt: ast.stmt, scope: Scope) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.functions[stmt.name] = stmt
            if self.names.decorator(stmt, DAG_DECORATOR) is not None:
                self.statements(stmt.body, Scope(self.new_dag(stmt), taskflow=dict(scope.taskflow)))
            elif self.names.decorator(stmt, TASK_DECORATOR) is not None:
                scope.taskflow[stmt.name] = stmt
        elif isinstance(stmt, ast.With):
            self.with_block(stmt, scope)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self.assign(stmt, scope)
        elif isinstance(stmt, (ast.Expr, ast.Return)) and stmt.value is not None:
            self.value(stmt.value, scope)
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            self.unread(stmt, scope, "in a loop")
        elif isinstance(stmt, ast.If) and not main_guard(stmt):
            self.unread(stmt, scope, "under a condition")
        elif isinstance(stmt, ast.Try):
            self.statements([*stmt.body, *stmt.orelse, *stmt.finalbody], scope)

    def unread(self, node: ast.AST, scope: Scope, where: str) -> None:
        """Report tasks or dependencies made ``where`` the scan does not follow, and forget
        the variables they may have gone into."""
        if not any(isinstance(n, ast.Call) and self.kind(n, scope) for n in ast.walk(node)):
            return
        self.problem(node, f"tasks or dependencies made {where} are not read")
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                scope.variables.pop(sub.id, None)
            elif getattr(sub, "attr", "") in ("append", "extend", "insert", "add"):
                scope.variables.pop(getattr(sub.value, "id", ""), None)  # type: ignore[attr-defined]

    def new_dag(self, node: ast.Call | Function) -> DagDraft:
        draft, unread = DagDraft.read(node, self.names)
        for name in unread:
            self.problem(node, f"{name} of DAG {draft.header.dag_id or '?'} is not a literal")
        self.drafts.append(draft)
        return draft

    def with_block(self, stmt: ast.With, scope: Scope) -> None:
        inner, group = scope, None
        for item in stmt.items:
            context = item.context_expr
            path = self.names.dotted(context.func) if isinstance(context, ast.Call) else ""
            if isinstance(context, ast.Call) and airflow_name(path, "DAG"):
                draft = self.new_dag(context)
                if isinstance(item.optional_vars, ast.Name):
                    self.dag_variables[item.optional_vars.id] = draft
                inner = Scope(draft, inner.variables, inner.taskflow)
            elif isinstance(context, ast.Call) and airflow_name(path, "TaskGroup"):
                group_id = self.group_id(context, inner)
                inner = Scope(inner.draft, inner.variables, inner.taskflow, group_id)
                group = item.optional_vars
            elif self.value(context, inner) is not None:  # a teardown's setup context
                self.problem(context, f"dependencies of with {ast.unparse(context)}: are not read")
        self.statements(stmt.body, inner)
        # A group's tasks are its parent's too; its variable stands for its roots and leaves.
        scope.made += inner.made if inner is not scope else []
        if isinstance(group, ast.Name):
            scope.variables[group.id] = Operand.group(inner.made)

    def group_id(self, call: ast.Call, scope: Scope) -> str:
        keywords = keywords_of(call)
        given = call.args[0] if call.args else keywords.get("group_id")
        group_id = self.text(given, "group_id") if given is not None else ""
        if self.names.literal(keywords.get("prefix_group_id", ast.Constant(True))) is False:
            return scope.group
        return f"{scope.group}.{group_id}" if scope.group else group_id

    def assign(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign, scope: Scope) -> None:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if (value := stmt.value) is None:
            return
        if isinstance(value, ast.Call) and airflow_name(self.names.dotted(value.func), "DAG"):
            draft = self.new_dag(value)
            self.dag_variables.update((t.id, draft) for t in targets if isinstance(t, ast.Name))
            return
        for target in targets:
            dag = target.value if isinstance(target, ast.Attribute) else None
            if isinstance(dag, ast.Name) and dag.id in self.dag_variables:
                name = target.attr  # type: ignore[attr-defined]
                if name in ("doc_md", "description"):  # assigned after the DAG is made
                    draft = self.dag_variables[dag.id]
                    text: Any = self.text(value, name)
                    draft.header = replace(draft.header, **{name: text})
                return
        first = targets[0] if len(targets) == 1 else None
        if isinstance(first, ast.Tuple) and isinstance(value, ast.Tuple):  # a, b = X(), Y()
            for target, element in zip(first.elts, value.elts, strict=False):
                self.bind(target, self.value(element, scope), scope)
            return
        operand = self.value(value, scope)
        for target in targets:
            self.bind(target, None if isinstance(stmt, ast.AugAssign) else operand, scope)

    def bind(self, target: ast.expr, operand: Operand | None, scope: Scope) -> None:
        # ``task.doc_md = ...`` and ``x[0] = ...`` leave the variable as it was.
        names = [target] if isinstance(target, ast.Name) else getattr(target, "elts", [])
        for name in (n for n in names if isinstance(n, ast.Name)):
            if operand is not None and name is target:
                scope.variables[name.id] = operand
            else:
                scope.variables.pop(name.id, None)

    def value(self, node: ast.expr, scope: Scope) -> Operand | None:
        """The tasks an expression stands for (making those it creates), or None."""
        if isinstance(node, ast.Name):
            return scope.variables.get(node.id)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            parts = [self.value(e, scope) for e in node.elts]
            if not parts or None in parts:
                return None
            return sum((p for p in parts if p is not None), Operand())
        if isinstance(node, ast.Subscript) or getattr(node, "attr", "") == "output":
            return self.value(node.value, scope)  # type: ignore[attr-defined]  # XComArg: its task
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            pair = [self.operand(side, scope, node) for side in (node.left, node.right)]
            up, down = pair if isinstance(node.op, ast.RShift) else pair[::-1]
            self.depend(up, down, node)
            return pair[1]
        if isinstance(node, ast.Call):
            return self.call(node, scope)
        if isinstance(node, (*COMPREHENSIONS, ast.IfExp)):
            where = "under a condition" if isinstance(node, ast.IfExp) else "in a comprehension"
            self.unread(node, scope, where)
        elif not isinstance(node, ast.Lambda):  # what runs inside (dict values, f-strings)
            for child in (c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)):
                self.value(child, scope)
        return None

    def operand(self, node: ast.expr, scope: Scope, context: ast.AST) -> Operand:
        found = self.value(node, scope)
        if found is None:
            self.problem(context, f"{ast.unparse(node)} is not a task the scan can read")
        return found or Operand()

    def depend(self, upstream: Operand, downstream: Operand, node: ast.expr) -> None:
        for up, down in itertools.product(upstream.leaves, downstream.roots):
            if up.draft is not down.draft:
                self.problem(node, "a dependency between tasks of different DAGs")
            elif up.draft is not None and up.task.task_id and down.task.task_id:
                up.draft.depend(up.task.task_id, down.task.task_id, node.lineno)

    def kind(self, call: ast.Call, scope: Scope) -> str:
        """``operator``, ``taskflow``, ``helper``, ``dependency``, ``task_group``, ``unknown``
        (an unresolved class given a task_id), or ``""``: what a call does."""
        root, calls = unwrap(call)
        has_task_id = any("task_id" in keywords_of(c) for _, c in calls)
        if isinstance(root, ast.Attribute) and root.attr in ("set_upstream", "set_downstream"):
            return "dependency"
        if isinstance(root, ast.Name) and root.id in scope.taskflow:
            group = self.names.decorator(scope.taskflow[root.id], TASK_GROUP_DECORATOR)
            return "taskflow" if group is None else "task_group"
        path = self.names.dotted(root)
        if any(airflow_name(path, name) for name in DEPENDENCY_FUNCTIONS):
            return "dependency"
        function = self.names.functions.get(root.id) if isinstance(root, ast.Name) else None
        if function is not None and not function.decorator_list and len(calls) == 1:
            return "helper" if self.names.operator_calls(function) else ""
        if path and self.names.is_operator(path, has_task_id):
            return "operator"
        return "unknown" if not path and has_task_id else ""

    def call(self, call: ast.Call, scope: Scope) -> Operand | None:
        kind = self.kind(call, scope)
        if kind in ("operator", "taskflow", "helper"):
            made = getattr(self, kind)(call, scope)
            return Operand.of(made) if made is not None else None
        if kind == "dependency":
            self.dependency_call(call, scope)
        elif kind == "task_group":
            self.problem(call, f"tasks of the @task_group {ast.unparse(call.func)}() are not read")
        elif kind == "unknown":
            self.problem(call, f"{ast.unparse(unwrap(call)[0])} does not resolve to a class")
        else:  # a task made in another call's arguments, or before ``.method()``, is made
            method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
            task = self.value(call.func.value, scope) if method else None  # type: ignore[attr-defined]
            passed = [(a, self.value(a, scope)) for a in arguments_of(call)]
            for argument, setups in passed if task and method == "as_teardown" else ():
                self.depend(setups or Operand(), task, argument)  # type: ignore[arg-type]
            return task if method in ("as_setup", "as_teardown") else None
        return None

    def dependency_call(self, call: ast.Call, scope: Scope) -> None:
        root = unwrap(call)[0]
        if isinstance(root, ast.Attribute):
            task = self.operand(root.value, scope, call)
            for other in [self.operand(a, scope, call) for a in call.args]:
                downstream = root.attr == "set_downstream"
                self.depend(*((task, other) if downstream else (other, task)), call)
            return
        name = self.names.dotted(root).rpartition(".")[2]
        arguments = arguments_of(call)
        # A list argument of chain() is its elements one by one.
        steps = [[self.operand(e, scope, call) for e in getattr(a, "elts", [a])] for a in arguments]
        if name == "cross_downstream":
            steps = [[sum(step, Operand())] for step in steps]
        # chain() pairs two lists element by element; chain_linear() joins every pair.
        for ups, downs in itertools.pairwise(steps):
            if name == "chain" and len(ups) == len(downs) > 1:
                for up, down in zip(ups, downs, strict=True):
                    self.depend(up, down, call)
            elif name == "chain" and min(len(ups), len(downs)) > 1:
                self.problem(call, "chain() of lists of different lengths")
            else:
                self.depend(sum(ups, Operand()), sum(downs, Operand()), call)

    def passed(self, calls: Calls, scope: Scope) -> Operand:
        """Tasks whose output (an XComArg) the calls pass in; overrides pass no data."""
        arguments = [a for k, c in reversed(calls) if k != "override" for a in arguments_of(c)]
        return sum((self.data(a, scope) for a in arguments), Operand())

    def data(self, node: ast.expr, scope: Scope) -> Operand:
        """The tasks whose output an argument passes, wherever in its displays they are."""
        if not isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Starred)):
            return self.value(node, scope) or Operand()
        children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
        return sum((self.data(c, scope) for c in children), Operand())

    def operator(self, call: ast.Call, scope: Scope) -> Made:
        root, calls = unwrap(call)
        upstream = self.passed(calls, scope)
        path = self.catalog(self.names.dotted(root), call)
        keywords = {k: v for _, c in reversed(calls) for k, v in keywords_of(c).items()}
        task_id = self.task_id(keywords.get("task_id"), scope, call)
        bases = self.names.bases(path)
        task = Task(task_id, path, call.lineno, arguments=tuple(keywords), bases=bases)
        function = self.functions.get(getattr(keywords.get("python_callable"), "id", ""))
        task = replace(task, function_line=function.lineno) if function else task
        return self.make(mapped(task, calls), call, scope, keywords.get("dag"), upstream)

    def taskflow(self, call: ast.Call, scope: Scope) -> Made:
        root, calls = unwrap(call)
        upstream = self.passed(calls, scope)
        function = scope.taskflow[root.id]  # type: ignore[attr-defined]
        # A TaskFlow function has its decorator (the fallback only types it).
        decorator = self.names.decorator(function, TASK_DECORATOR) or ast.Name("task")
        keywords = keywords_of(decorator)
        for kind, modifier in reversed(calls):
            keywords.update(keywords_of(modifier) if kind == "override" else {})
        task_id = self.task_id(keywords.get("task_id", ast.Constant(function.name)), scope, call)
        if scope.draft is not None and task_id:
            task_id = scope.draft.unique_task_id(task_id)
        operator = self.names.dotted(getattr(decorator, "func", decorator))
        task = Task(task_id, operator, call.lineno, TaskStyle.TASKFLOW, tuple(keywords))
        task = replace(task, function_line=function.lineno)
        return self.make(mapped(task, calls), call, scope, None, upstream)

    def helper(self, call: ast.Call, scope: Scope) -> Made | None:
        function = self.names.functions[call.func.id]  # type: ignore[attr-defined]
        made = self.names.operator_calls(function)
        if len(made) != 1 or made[0][1]:
            self.problem(call, f"{function.name}() makes tasks the scan cannot read one by one")
            return None
        inner = made[0][0]
        id_node, keywords = helper_call(function, inner, call)
        operator = self.catalog(self.names.dotted(inner.func), call)
        task_id, note = self.task_id(id_node, scope, call), f"made by {function.name}()"
        task = Task(task_id, operator, call.lineno, arguments=keywords, note=note)
        dag = keywords_of(call).get("dag") or keywords_of(inner).get("dag")
        return self.make(task, call, scope, dag, self.passed([("call", call)], scope))

    def make(
        self, task: Task, call: ast.Call, scope: Scope, dag: ast.expr | None, upstream: Operand
    ) -> Made:
        """Add a task to its DAG: its ``dag=`` argument's, else the enclosing one."""
        draft = scope.draft
        if dag is not None:
            draft = self.dag_variables.get(dag.id) if isinstance(dag, ast.Name) else None
            if draft is None:
                self.problem(call, f"dag={ast.unparse(dag)} is not a DAG the scan can read")
        elif draft is None:
            self.problem(call, f"task {task.task_id or '?'} is made outside any DAG")
        if draft is not None:
            draft.tasks.append(task)
        made = Made(task, draft)
        scope.made.append(made)
        self.depend(upstream, Operand.of(made), call)
        return made

    def catalog(self, path: str, call: ast.Call) -> str:
        found, tied = self.names.catalog(path)
        if tied:
            self.problem(call, f"{path} could be any of {', '.join(tied)}; kept as imported")
        return found

    def task_id(self, node: ast.expr | None, scope: Scope, call: ast.Call) -> str:
        if node is None:
            self.problem(call, f"{ast.unparse(unwrap(call)[0])}() is given no task_id")
        text = self.text(node, "task_id", call) if node is not None else ""
        return f"{scope.group}.{text}" if text and scope.group else text

    def text(self, node: ast.expr, what: str, at: ast.AST | None = None) -> str:
        """A literal string (or ``__doc__``), or ``""`` and a problem."""
        text = self.names.doc(node)
        if text is None:
            self.problem(at or node, f"{what} {ast.unparse(node)} is not a literal")
        return text or ""
