"""Facts read from class source with :mod:`ast`: deferral, and the hooks a class uses."""

from __future__ import annotations

import ast
import functools
import os
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


def parse_file(path: str) -> ast.Module | None:
    """The parsed module at ``path`` as it is now, or None when it cannot be read or parsed.

    Parses are kept by the file's modification time and size as well as its path: the Sphinx
    process outlives edits (``sphinx-autobuild``), and a file edited since must not be read
    from an old parse."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _parse(path, stat.st_mtime_ns, stat.st_size)


# Eight files: a module's own and the few its classes' bases live in (google: 238 parses for
# 2,297 calls, as with 32), without holding more syntax trees than that in a worker.
@functools.lru_cache(maxsize=8)
def _parse(path: str, mtime_ns: int, size: int) -> ast.Module | None:
    try:
        return ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)
    except (OSError, SyntaxError, ValueError):
        return None


def find_class(tree: ast.Module, qualname: str) -> ast.ClassDef | None:
    """The class definition for a (possibly nested) qualified name."""
    body: list[ast.stmt] = tree.body
    node: ast.ClassDef | None = None
    for part in qualname.split("."):
        node = next((n for n in body if isinstance(n, ast.ClassDef) and n.name == part), None)
        if node is None:
            return None
        body = node.body
    return node


def methods(node: ast.ClassDef) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {n.name: n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _self_calls(func: ast.AST) -> Iterator[str]:
    """Names of ``self.<name>(...)`` calls inside a function."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and attribute_chain(node.func) == f"self.{callee(node)}":
            yield callee(node)


def defers(class_nodes: Iterable[ast.ClassDef], entry: str = "execute") -> bool:
    """Whether ``entry`` (or any method it calls on self) calls ``self.defer(...)``.

    ``class_nodes`` is the MRO below the Airflow base, nearest first: a method defined nearer
    overrides one further up, as at run time.
    """
    table = {name: f for node in reversed(list(class_nodes)) for name, f in methods(node).items()}
    seen: set[str] = set()
    todo = [entry]
    while todo:
        name = todo.pop()
        if name in seen or name not in table:
            continue
        seen.add(name)
        for called in _self_calls(table[name]):
            if called == "defer":
                return True
            todo.append(called)
    return False


@dataclass(frozen=True)
class Reference:
    """A name used in a class body: ``chain`` as written (``hooks.PostgresHook``), or an
    import inside the body, already a dotted path (``imported=True``)."""

    chain: str
    imported: bool = False


def attribute_chain(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def callee(call: ast.Call) -> str:
    """The name a call calls: ``f`` of ``f()`` and of ``a.b.f()``; ``""`` for anything else."""
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


#: The nodes whose ``annotation`` or ``returns`` may be a string annotation.
_ANNOTATED = (ast.arg, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef)


def _string_annotation(node: ast.AST) -> ast.AST | None:
    """The expression inside a string annotation (``"PostgresHook | None"``) on ``node``."""
    annotation = getattr(node, "annotation", None) or getattr(node, "returns", None)
    if not (isinstance(annotation, ast.Constant) and isinstance(annotation.value, str)):
        return None
    try:
        return ast.parse(annotation.value, mode="eval")
    except SyntaxError:
        return None


def _add_chain(found: set[Reference], chain: str) -> None:
    """``a.b.c`` and each chain it is made of (``a.b``, ``a``): the nodes below it."""
    if chain == "self" or chain.startswith("self."):
        return
    end = len(chain)
    while end > 0:
        found.add(Reference(chain[:end]))
        end = chain.rfind(".", 0, end)


# A base class's node comes back for each of its subclasses (google: 1,575 calls for 749
# classes): its references are kept for as long as the node lives, which is while its file's
# parse is cached (``parse_file``). Weakly: an lru_cache of nodes kept the syntax trees of up
# to 256 classes alive after their parses were dropped, ~50 MB of google's worker.
_REFERENCES: weakref.WeakKeyDictionary[ast.ClassDef, frozenset[Reference]] = (
    weakref.WeakKeyDictionary()
)


def references(node: ast.ClassDef) -> frozenset[Reference]:
    """Every name, attribute chain and in-body import the class's source mentions,
    annotations included."""
    if (known := _REFERENCES.get(node)) is not None:
        return known
    found: set[Reference] = set()
    annotations: list[ast.AST] = []
    _collect_references(node, found, annotations)
    for expression in annotations:
        _collect_references(expression, found, None)
    _REFERENCES[node] = frozen = frozenset(found)
    return frozen


def _collect_references(
    root: ast.AST, found: set[Reference], annotations: list[ast.AST] | None
) -> None:
    """One walk of ``root`` (``ast.walk`` and a second one for string annotations took most
    of google's 7.7 s in hooks used): a chain's parts are the nodes below it, so they are
    added with it rather than visited. String annotations met go to ``annotations``."""
    todo: list[ast.AST] = [root]
    while todo:
        sub = todo.pop()
        if isinstance(sub, (ast.Attribute, ast.Name)):
            chain = attribute_chain(sub)
            if chain is not None:
                _add_chain(found, chain)
                continue
        elif isinstance(sub, ast.ImportFrom):
            if sub.module and not sub.level:
                found.update(Reference(f"{sub.module}.{a.name}", True) for a in sub.names)
        elif annotations is not None and isinstance(sub, _ANNOTATED):
            expression = _string_annotation(sub)
            if expression is not None:
                annotations.append(expression)
        for field in sub._fields:
            value = getattr(sub, field, None)
            if isinstance(value, ast.AST):
                todo.append(value)
            elif isinstance(value, list):
                todo.extend(item for item in value if isinstance(item, ast.AST))


def literal(node: ast.expr) -> object:
    """The value of a literal expression, or None."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def class_assignments(node: ast.ClassDef | ast.Module) -> dict[str, ast.expr]:
    """``name -> value expression`` for simple assignments in a class body (or a module's)."""
    found: dict[str, ast.expr] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
            found[stmt.target.id] = stmt.value
    return found


def docstring_line(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """The line a definition's docstring starts on, or 0 when it has none."""
    return node.body[0].lineno if ast.get_docstring(node, clean=False) is not None else 0


def super_keywords(node: ast.ClassDef) -> set[str]:
    """Keywords the class's own ``__init__`` passes to its base's ``__init__``
    (``super().__init__(method="x", **kwargs)`` or ``Base.__init__(self, method="x")``)."""
    init = methods(node).get("__init__")
    calls = (n for n in ast.walk(init) if isinstance(n, ast.Call)) if init else ()
    inits = [c for c in calls if getattr(c.func, "attr", "") == "__init__"]
    return {k.arg for c in inits for k in c.keywords if k.arg}
