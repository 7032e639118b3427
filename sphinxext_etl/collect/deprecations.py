"""Deprecations read from source with :mod:`ast`: of a whole class, or of one parameter.

A class is deprecated only on class-level evidence: a ``@deprecated`` decorator, a warning its
``__init__``/``__new__`` (or its module, at import) raises unconditionally, or a
``.. deprecated::`` note. A warning raised under a condition on one parameter
(``if region is not None:``) deprecates that parameter, not the class. A warning under any
other condition says nothing either way, rather than a guess.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Collection, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from sphinxext_etl.collect.ast_facts import attribute_chain, methods
from sphinxext_etl.model import Deprecation, Parameter

_WARN_CALLS = frozenset({"warnings.warn", "warn"})
#: Warning classes that mean "deprecated", by name: Python's ``DeprecationWarning``, Airflow's
#: ``AirflowProviderDeprecationWarning`` and the ``RemovedInAirflow4Warning`` family.
_DEPRECATION_CATEGORY = re.compile(r"(?:Deprecation|RemovedIn\w*)Warning$")
#: What a message offers instead: "Use `durable` instead", "in favour of X", "replaced by X".
_REPLACEMENT = re.compile(
    r"\b(?:use|in favou?r of|replaced (?:by|with)|switch to|migrate to)\s+"
    r"(?:the\s+)?(?:(?:new\s+)?(?:parameter|argument|arg|class|operator|hook|sensor)\s+)?"
    r"[`'\"]*(?P<name>[A-Za-z_][\w.]*)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z_]\w*")
#: ``f"{type(self).__name__} is deprecated"``: the placeholder is the class's own name.
_OWN_NAME = re.compile(r"\{(?:type\(self\)|self\.__class__|cls)\.__(?:qual)?name__\}")
#: Stands for a condition that no parameter decides (an ``except`` clause, say).
_UNTIED = ast.Constant(value=None)


@dataclass(frozen=True)
class WarnedDeprecation:
    """One deprecation warning found in a function body, with the conditions around it."""

    message: str
    #: The tests of every ``if``/loop/``match`` that encloses the call, outermost first.
    conditions: tuple[ast.expr, ...] = ()


def message_text(node: ast.expr | None) -> str:
    """The text of a message expression: literals, f-strings (placeholders kept as
    ``{name}``), concatenation, ``%``/``.format()`` templates, and the first branch of a
    conditional expression. Anything else gives ``""``."""
    text = _text(node) if node is not None else ""
    return " ".join(text.split())


def _text(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else ""
    if isinstance(node, ast.JoinedStr):
        return "".join(
            _text(v) if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"
            for v in node.values
            if isinstance(v, (ast.Constant, ast.FormattedValue))
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left) + _text(node.right)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _text(node.left)
    if isinstance(node, ast.IfExp):
        return _text(node.body)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return _text(node.func.value)
        if attribute_chain(node.func) in {"str", "textwrap.dedent", "dedent"} and node.args:
            return _text(node.args[0])
    return ""


def _argument(call: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    """The argument at ``position`` or passed as ``keyword`` (``position=None``: keyword only)."""
    positional = call.args[position] if position is not None and len(call.args) > position else None
    if positional is not None and not isinstance(positional, ast.Starred):
        return positional
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def deprecation_message(call: ast.Call) -> str | None:
    """The message of a ``warnings.warn(...)`` call with a deprecation category, else None."""
    if attribute_chain(call.func) not in _WARN_CALLS:
        return None
    category = _argument(call, 1, "category")
    name = (attribute_chain(category) or "") if category is not None else ""
    if not _DEPRECATION_CATEGORY.search(name.rpartition(".")[2]):
        return None
    return message_text(_argument(call, 0, "message"))


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    """Calls inside one statement, not inside functions or classes it defines."""
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.Call):
            yield current
        todo.extend(
            child
            for child in ast.iter_child_nodes(current)
            if not isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
            )
        )


def warned_deprecations(
    body: Iterable[ast.stmt],
    conditions: tuple[ast.expr, ...] = (),
) -> Iterator[WarnedDeprecation]:
    """Every deprecation warning raised in ``body``, with the conditions it runs under."""
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        branches: list[tuple[list[ast.stmt], tuple[ast.expr, ...]]] = []
        if isinstance(stmt, ast.If):
            yield from _in_expression(stmt.test, conditions)
            inner = (*conditions, stmt.test)
            branches = [(stmt.body, inner), (stmt.orelse, inner)]
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            test = stmt.test if isinstance(stmt, ast.While) else stmt.iter
            inner = (*conditions, test)
            branches = [(stmt.body, inner), (stmt.orelse, inner)]
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            branches = [(stmt.body, conditions)]
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            untied = (*conditions, _UNTIED)
            branches = [
                (stmt.body, conditions),  # type: ignore[attr-defined]
                *((h.body, untied) for h in stmt.handlers),  # type: ignore[attr-defined]
                (stmt.orelse, untied),  # type: ignore[attr-defined]
                (stmt.finalbody, conditions),  # type: ignore[attr-defined]
            ]
        elif isinstance(stmt, ast.Match):
            branches = [(case.body, (*conditions, stmt.subject)) for case in stmt.cases]
        else:
            yield from _in_expression(stmt, conditions)
        for statements, inner in branches:
            yield from warned_deprecations(statements, inner)


def _in_expression(node: ast.AST, conditions: tuple[ast.expr, ...]) -> Iterator[WarnedDeprecation]:
    for call in _calls(node):
        message = deprecation_message(call)
        if message is not None:
            yield WarnedDeprecation(message, conditions)


def _kwargs_keys(func: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
    """``local name -> key`` for ``local = kwargs.pop("key", ...)`` (or ``.get``)."""
    kwarg = func.args.kwarg.arg if func.args.kwarg else None
    aliases: dict[str, str] = {}
    if kwarg is None:
        return aliases
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.NamedExpr):
            target, value = node.target, node.value
        else:
            continue
        key = _kwargs_key(value, kwarg)
        if isinstance(target, ast.Name) and key:
            aliases[target.id] = key
    return aliases


def _kwargs_key(node: ast.AST, kwarg: str) -> str | None:
    """``"key"`` of ``kwargs.get("key")``, ``kwargs.pop("key")`` or ``kwargs["key"]``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"get", "pop"}
        and attribute_chain(node.func.value) == kwarg
        and node.args
    ):
        key = node.args[0]
    elif isinstance(node, ast.Subscript) and attribute_chain(node.value) == kwarg:
        key = node.slice
    else:
        return None
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


def tied_parameters(
    conditions: Iterable[ast.expr],
    parameters: Iterable[str],
    func: ast.FunctionDef | ast.AsyncFunctionDef,
) -> set[str]:
    """The parameters the conditions test: names of parameters, ``"key" in kwargs``,
    ``kwargs.get("key")``, and locals taken from ``kwargs``."""
    names = set(parameters)
    kwarg = func.args.kwarg.arg if func.args.kwarg else ""
    aliases = _kwargs_keys(func)
    tied: set[str] = set()
    for condition in conditions:
        for node in ast.walk(condition):
            # ``self.execution_timeout`` is state a parameter set: it counts as that parameter.
            if isinstance(node, ast.Attribute) and attribute_chain(node) == f"self.{node.attr}":
                tied.add(node.attr)
            elif isinstance(node, ast.Name) and node.id in aliases:
                tied.add(aliases[node.id])
            elif isinstance(node, ast.Name) and node.id in names and node.id != kwarg:
                tied.add(node.id)
            elif (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Constant)
                and isinstance(node.left.value, str)
                and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
                and any(attribute_chain(c) == kwarg for c in node.comparators)
            ):
                tied.add(node.left.value)
            elif kwarg and (key := _kwargs_key(node, kwarg)):
                tied.add(key)
    return tied


def replacement(message: str, deprecated: str = "", candidates: Iterable[str] = ()) -> str:
    """What the message names instead: another of ``candidates`` it mentions, else the
    name after "use ..."/"in favour of ..."."""
    others = [c for c in candidates if c != deprecated]
    words = set(_WORD.findall(message))
    found = [c for c in others if c in words]
    if found:
        return min(found, key=message.find)
    match = _REPLACEMENT.search(message)
    if match and match["name"].rstrip(".") != deprecated:
        return match["name"].rstrip(".")
    return ""


def constructor_parameters(func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    args = func.args
    return tuple(a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs][1:])


def decorated_deprecation(node: ast.ClassDef) -> Deprecation | None:
    """``@deprecated``, ``@deprecated("...")`` or ``@deprecated(reason=...)`` on the class."""
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = attribute_chain(call.func if call else decorator) or ""
        if name.rpartition(".")[2] != "deprecated":
            continue
        if call is None:
            return Deprecation("")
        message = message_text(_argument(call, 0, "reason") or _argument(call, 0, "message"))
        # Airflow's own ``@deprecated(use_instead=..., planned_removal_date=...)``.
        use_instead = message_text(_argument(call, None, "use_instead"))
        if use_instead:
            offer = ", ".join(f"`{name.strip()}`" for name in use_instead.split(","))
            message = f"{message} Please use {offer} instead.".strip()
        return Deprecation(message, use_instead or replacement(message))
    return None


_DOCSTRING_NOTE = re.compile(
    r"^\.\. deprecated::[^\n]*\n?((?:[ \t]+\S.*\n?|[ \t]*\n(?=[ \t]+\S))*)", re.M
)


def docstring_deprecation(docstring: str) -> Deprecation | None:
    """A ``.. deprecated::`` note at the top level of the class docstring."""
    match = _DOCSTRING_NOTE.search(docstring)
    if not match:
        return None
    message = " ".join(match.group(1).split())
    return Deprecation(message, replacement(message))


def class_deprecation(
    node: ast.ClassDef,
    docstring: str,
    module: ast.Module | None = None,
) -> Deprecation | None:
    """The class-level evidence the source gives, strongest first."""
    constructors = (methods(node).get(name) for name in ("__init__", "__new__"))
    bodies = [func.body for func in constructors if func is not None]
    if module is not None:
        bodies.append(module.body)
    found = decorated_deprecation(node)
    found = found or next(filter(None, map(unconditional_deprecation, bodies)), None)
    found = found or docstring_deprecation(docstring)
    if found is None:
        return None
    return Deprecation(_OWN_NAME.sub(node.name, found.message), found.replacement)


def unconditional_deprecation(body: Iterable[ast.stmt]) -> Deprecation | None:
    """The first deprecation warning ``body`` (a constructor's, or a module's when it is
    imported) raises unconditionally."""
    for warned in warned_deprecations(body):
        if not warned.conditions:
            return Deprecation(warned.message, replacement(warned.message))
    return None


def parameter_deprecations(
    nodes: Iterable[ast.ClassDef], candidates: Collection[str] = ()
) -> dict[str, Deprecation]:
    """``parameter -> deprecation`` for the warnings the constructors of an MRO's classes
    (nearest first wins) raise under a condition on that parameter. ``candidates`` are every
    parameter name of the class, for finding what a message offers instead."""
    found: dict[str, Deprecation] = {}
    for init in [m for node in nodes if (m := methods(node).get("__init__")) is not None]:
        names = constructor_parameters(init)
        offered = (*names, *candidates)
        for warned in warned_deprecations(init.body):
            tied = tied_parameters(warned.conditions, names, init) if warned.conditions else ()
            if len(tied) == 1:
                (name,) = tied
                found.setdefault(
                    name, Deprecation(warned.message, replacement(warned.message, name, offered))
                )
    return found


def with_deprecations(
    found: dict[str, Parameter],
    nodes: list[ast.ClassDef],
    owner_path: str,
    bound: AbstractSet[str] = frozenset(),
) -> tuple[Parameter, ...]:
    """Parameters with the deprecations the classes' constructors (``nodes``, nearest first)
    warn about; one known only from ``kwargs`` joins the list when the class takes
    ``**kwargs`` and does not set it itself (``bound``). Catch-alls go last, whichever class
    declared them."""
    deprecated = parameter_deprecations(nodes, found)
    merged = [
        dataclasses.replace(p, deprecation=deprecated[p.name]) if p.name in deprecated else p
        for p in found.values()
    ]
    if any(p.variadic for p in found.values()):
        merged.extend(
            Parameter(name=name, defined_in=owner_path, deprecation=deprecation, via_kwargs=True)
            for name, deprecation in deprecated.items()
            if name not in found and name not in bound
        )
    return tuple(sorted(merged, key=lambda p: p.variadic))
