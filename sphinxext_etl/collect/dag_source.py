"""What the DAG scan reads a file with: its names (imports and aliases, constants, its own
classes and helper functions) and the calls that make tasks (:mod:`.dag_drafts` holds what it
builds from them).

How an imported name becomes a catalog path (:func:`catalog_path`):

1. The path as imported (``airflow.operators.bash.BashOperator``), if the catalog has it.
2. Else the catalog paths with the same class name whose module lies *under* the imported
   module (a package that re-exports its submodule's class:
   ``acme_platform.operators.ArchiveIngestedEntitiesOperator``).
3. Else the catalog paths with the same class name whose module shares the longest tail of
   module segments with the imported one, at least one (a compatibility shim:
   ``airflow.operators.bash`` and ``airflow.providers.standard.operators.bash`` share
   ``operators.bash``).

A step that finds exactly one path gives it; two or more are a tie, never guessed: the name is
kept as imported and the tie is reported. No candidate at all keeps the imported path (it is
simply not in the catalog).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from sphinxext_etl.collect.ast_facts import attribute_chain, literal
from sphinxext_etl.model.dags import Task

#: TaskFlow decorators (``airflow.sdk.task``, ``airflow.decorators.task.bash``, ``setup``),
#: ``task_group`` included: the functions a DAG calls to make tasks.
TASK_DECORATOR = re.compile(r"airflow\.(sdk|decorators)\.(task(\.\w+)?|setup|teardown|task_group)")
DAG_DECORATOR = re.compile(r"airflow\.(sdk|decorators)\.dag")
TASK_GROUP_DECORATOR = re.compile(r"airflow\.(sdk|decorators)\.task_group")
#: Names for operator classes, when the call gives no ``task_id`` to tell by.
OPERATOR_SUFFIXES = ("Operator", "Sensor")
#: Calls on an operator class or TaskFlow function that still make one task.
MODIFIERS = ("partial", "expand", "expand_kwargs", "override")
MAPPING = ("expand", "expand_kwargs")
DEPENDENCY_FUNCTIONS = ("chain", "chain_linear", "cross_downstream")
Function = ast.FunctionDef | ast.AsyncFunctionDef
#: A call and the calls on its result, outermost first (see :func:`unwrap`).
Calls = list[tuple[str, ast.Call]]
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
LOOPS = (ast.For, ast.AsyncFor, ast.While, *COMPREHENSIONS)


def airflow_name(path: str, name: str) -> bool:
    """Whether ``path`` is Airflow's ``name`` (``DAG``, ``chain``), wherever it is imported from."""
    return path.startswith("airflow.") and path.rpartition(".")[2] == name


def _shared_tail(left: str, right: str) -> int:
    pairs = zip(reversed(left.split(".")), reversed(right.split(".")), strict=False)
    same = (i for i, (a, b) in enumerate(pairs) if a != b)
    return next(same, min(left.count("."), right.count(".")) + 1)


#: The catalog's component paths by class name.
KnownPaths = dict[str, tuple[str, ...]]


def index_paths(paths: Collection[str]) -> KnownPaths:
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in sorted(set(paths)):
        by_name[path.rpartition(".")[2]].append(path)
    return {name: tuple(found) for name, found in by_name.items()}


def catalog_path(path: str, known: KnownPaths) -> tuple[str, tuple[str, ...]]:
    """The catalog's path for an imported ``path`` (see the module docstring), and the tied
    candidates when there is no single one."""
    module, _, name = path.rpartition(".")
    candidates = known.get(name, ())
    if not known or path in candidates:
        return path, ()
    below = [c for c in candidates if module and c.startswith(f"{module}.")]
    if not below:
        scores = {c: _shared_tail(module, c.rpartition(".")[0]) for c in candidates}
        best = max(scores.values(), default=0)
        below = [c for c, score in scores.items() if score == best > 0]
    if not below:
        return path, ()
    return (below[0], ()) if len(below) == 1 else (path, tuple(below))


def _bind_imports(body: list[ast.stmt], imports: dict[str, str]) -> None:
    # The first binding wins, so the Airflow 3 branch of ``try: ... except ImportError:`` is
    # the one read; relative imports name no module the scan could know.
    for node in body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                first = alias.name.partition(".")[0]
                imports.setdefault(alias.asname or first, alias.name if alias.asname else first)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                imports.setdefault(alias.asname or alias.name, f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Try):
            for branch in (node.body, *(h.body for h in node.handlers), node.orelse):
                _bind_imports(branch, imports)
        elif isinstance(node, ast.If):
            _bind_imports([*node.body, *node.orelse], imports)


def _constants(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level names assigned exactly once, to the expression they hold."""
    found: dict[str, ast.expr] = {}
    seen: set[str] = set()
    for node in tree.body:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id in seen:
                found.pop(target.id, None)
            elif isinstance(target, ast.Name) and len(targets) == 1:
                found[target.id] = node.value
            seen.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return found


@dataclass
class FileNames:
    """What the names of one DAG file stand for."""

    #: The file's stem: the module its own classes are named under.
    module: str
    docstring: str
    known: KnownPaths
    imports: dict[str, str] = field(default_factory=dict)
    constants: dict[str, ast.expr] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)

    @classmethod
    def read(cls, tree: ast.Module, module: str, known: KnownPaths) -> FileNames:
        names = cls(module, ast.get_docstring(tree) or "", known, constants=_constants(tree))
        _bind_imports(tree.body, names.imports)
        # Imports inside functions (a @dag function's own) are read as the module's.
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                _bind_imports(node.body, names.imports)
        names.classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        names.functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        return names

    def dotted(self, node: ast.expr) -> str:
        """The dotted path a name or attribute chain stands for through the imports and the
        file's own classes, or ``""``."""
        first, _, rest = (attribute_chain(node) or "").partition(".")
        if first in self.classes and not rest:
            return f"{self.module}.{first}"
        base = self.imports.get(first)
        return "" if base is None else f"{base}.{rest}" if rest else base

    def literal(self, node: ast.expr) -> object:
        """A literal's value, also through a module constant; None when it is not one."""
        if isinstance(node, ast.Name) and node.id in self.constants:
            node = self.constants[node.id]
        return literal(node)

    def doc(self, node: ast.expr) -> str | None:
        """A string literal, or the module docstring for ``__doc__``; None for anything else."""
        if isinstance(node, ast.Name) and node.id == "__doc__":
            return self.docstring
        value = self.literal(node)
        return value if isinstance(value, str) else None

    def strings(self, node: ast.expr) -> tuple[str, ...] | None:
        """A literal list, tuple or set of strings (a set sorted)."""
        value = self.literal(node)
        if not isinstance(value, (list, tuple, set)) or any(type(v) is not str for v in value):
            return None
        return tuple(sorted(value) if isinstance(value, set) else value)

    def mapping(self, node: ast.expr) -> dict[str, ast.expr] | None:
        """``key -> value expression`` of a dict display or ``dict(...)`` call with string
        keys, also through a constant; None when it is neither."""
        if isinstance(node, ast.Name) and node.id in self.constants:
            node = self.constants[node.id]
        if isinstance(node, ast.Dict):
            keys = [literal(k) if k is not None else None for k in node.keys]
            if all(isinstance(k, str) for k in keys):
                return dict(zip(keys, node.values, strict=True))  # type: ignore[arg-type]
        if isinstance(node, ast.Call) and attribute_chain(node.func) == "dict":
            return keywords_of(node) if all(k.arg for k in node.keywords) else None
        return None

    def catalog(self, path: str) -> tuple[str, tuple[str, ...]]:
        """The catalog's path for a dotted path; a class of the file's own is kept as it is."""
        if path.startswith(f"{self.module}.") and path.count(".") == 1:
            return path, ()
        return catalog_path(path, self.known)

    def own_class(self, path: str) -> ast.ClassDef | None:
        module, _, name = path.rpartition(".")
        return self.classes.get(name) if module == self.module else None

    def bases(self, path: str, seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """Dotted paths of the bases of a class the file defines, nearest first, through the
        file's own; none for another class."""
        node = self.own_class(path)
        if node is None or node.name in seen:
            return ()
        found: list[str] = []
        for base in node.bases:
            base_path, _ = self.catalog(self.dotted(base) or ast.unparse(base))
            found += [base_path, *self.bases(base_path, seen | {node.name})]
        return tuple(dict.fromkeys(found))

    def is_operator(self, path: str, has_task_id: bool) -> bool:
        """Whether a call of the class at ``path`` makes a task: it is given a ``task_id``, or
        it (or a base of a class the file defines) is named like an operator or sensor."""
        name = path.rpartition(".")[2]
        if not name[:1].isupper() or airflow_name(path, "DAG"):
            return False
        if has_task_id or name.endswith(OPERATOR_SUFFIXES):
            return True
        return any(b.endswith(OPERATOR_SUFFIXES) for b in self.bases(path))

    def decorator(self, node: Function, pattern: re.Pattern[str]) -> ast.expr | None:
        """The decorator of ``node`` whose dotted path matches ``pattern``."""
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if pattern.fullmatch(self.dotted(target)):
                return decorator
        return None

    def operator_calls(self, function: ast.FunctionDef) -> list[tuple[ast.Call, bool]]:
        """The operator calls in a helper function, each with whether it runs in a loop."""
        looped = {id(n) for s in ast.walk(function) if isinstance(s, LOOPS) for n in ast.walk(s)}
        return [
            (node, id(node) in looped)
            for node in ast.walk(function)
            if isinstance(node, ast.Call)
            and (path := self.dotted(node.func))
            and self.is_operator(path, "task_id" in keywords_of(node))
        ]


def keywords_of(node: ast.expr | None) -> dict[str, ast.expr]:
    """``name -> value`` of a call's keyword arguments (``**`` spreads left out)."""
    if not isinstance(node, ast.Call):
        return {}
    return {k.arg: k.value for k in node.keywords if k.arg}


def helper_call(
    function: ast.FunctionDef, inner: ast.Call, call: ast.Call
) -> tuple[ast.expr | None, tuple[str, ...]]:
    """What ``call`` of a helper function gives the operator the helper makes (``inner``): the
    task_id expression, where a parameter the helper passes through becomes the argument
    ``call`` gives it (or its default); and the keyword names, with those ``**kwargs`` passes."""
    args = function.args
    positional = [a.arg for a in [*args.posonlyargs, *args.args]]
    parameters = {*positional, *(a.arg for a in args.kwonlyargs)}
    with_defaults = positional[len(positional) - len(args.defaults) :]
    bound = dict(zip(with_defaults, args.defaults, strict=True))
    bound.update((a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d)
    bound.update({**dict(zip(positional, call.args, strict=False)), **keywords_of(call)})
    given = keywords_of(inner).get("task_id")
    if isinstance(given, ast.Name) and given.id in parameters:
        given = bound.get(given.id)
    names = list(keywords_of(inner))
    if args.kwarg and args.kwarg.arg in [ast.unparse(k.value) for k in inner.keywords if not k.arg]:
        names += [k for k in keywords_of(call) if k not in parameters and k not in names]
    return given, tuple(names)


def unwrap(call: ast.Call) -> tuple[ast.expr, Calls]:
    """The callee under ``.partial()``/``.expand()``/``.override()`` and the calls on it,
    outermost first: ``f.override(task_id="x")(1)`` -> ``f``, ``[("call", _), ("override", _)]``.
    """
    calls: Calls = []
    node = call
    while True:
        func = node.func
        modifier = isinstance(func, ast.Attribute) and func.attr in MODIFIERS
        calls.append((func.attr if modifier else "call", node))  # type: ignore[attr-defined]
        target = func.value if modifier else func  # type: ignore[attr-defined]
        if not isinstance(target, ast.Call):
            return target, calls
        node = target


def arguments_of(call: ast.Call) -> list[ast.expr]:
    return [*call.args, *(k.value for k in call.keywords)]


def mapped(task: Task, calls: Calls) -> Task:
    """Dynamic task mapping: one record stands for every mapped instance."""
    if not any(kind in MAPPING for kind, _ in calls):
        return task
    return replace(task, mapped=True, note="mapped with expand()")


def main_guard(stmt: ast.If) -> bool:
    """``if __name__ == "__main__":``, which never runs when Airflow parses the file."""
    return ast.unparse(stmt.test).replace("'", '"') == '__name__ == "__main__"'
