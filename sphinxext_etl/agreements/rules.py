"""Named rules that agreements enforce: the registry, the shipped component rules, and what
agreements apply to (re-exported as :mod:`sphinxext_etl.checks`, which ``conf.py`` files import).

A component rule is a function ``(component, catalog) -> Iterable[str | Violation]``, registered
with :func:`rule`; a DAG rule is a function ``(dag, context) -> Iterable[str | Violation]``,
registered with :func:`dag_rule` (the shipped ones are in :mod:`.dag_rules`). Both kinds share
one registry, so an agreement's ``:checks:`` names either. Nothing here knows about Sphinx.
"""

from __future__ import annotations

import ast
import enum
import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sphinxext_etl.collect import ast_facts
from sphinxext_etl.model import (
    Catalog,
    Component,
    Kind,
    canonical_name,
    owner_names,
    transfer_ends,
)
from sphinxext_etl.model.dags import Dag, DagScan

if TYPE_CHECKING:
    from sphinxext_etl.agreements.dag_rules import DagContext

#: Kinds that are Airflow operators at run time (``BaseOperator`` subclasses).
OPERATOR_KINDS = frozenset({Kind.OPERATOR, Kind.SENSOR, Kind.TRANSFER})
#: The ``:applies-to:`` entries that make an agreement cover the scanned DAGs.
DAG_ENTRIES = frozenset({"dag", "dags"})
_RULE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Violation:
    """One broken rule. ``line`` is a line of the file checked: the component's source file
    (0: its ``class`` line) or the DAG file (0: the DAG's line)."""

    message: str
    line: int = 0


class Target(str, enum.Enum):
    """What a rule runs over."""

    #: In-house components, each with the catalog.
    COMPONENTS = "components"
    #: The DAGs ``etl_dag_folders`` hold, each with a :class:`~.dag_rules.DagContext`.
    DAGS = "dags"


Subject = TypeVar("Subject")
Context = TypeVar("Context")
Check = Callable[[Component, Catalog], Iterable["str | Violation"]]
DagCheck = Callable[[Dag, "DagContext"], Iterable["str | Violation"]]


@dataclass(frozen=True)
class Rule(Generic[Subject, Context]):
    """A named, described check that an agreement can list in ``:checks:``: a component rule
    (``Rule[Component, Catalog]``) or a DAG rule (``Rule[Dag, DagContext]``)."""

    name: str
    description: str
    check: Callable[[Subject, Context], Iterable[str | Violation]]
    target: Target = Target.COMPONENTS

    def __call__(self, subject: Subject, context: Context) -> list[Violation]:
        return [
            found if isinstance(found, Violation) else Violation(str(found))
            for found in self.check(subject, context)
        ]


#: Every rule of this process, by name: the shipped ones and those registered from ``conf.py``.
RULES: dict[str, Rule[Any, Any]] = {}


def _register(name: str, description: str, target: Target) -> Callable[[Any], Any]:
    if not _RULE_NAME.fullmatch(name):
        raise ValueError(f"rule name {name!r} must be lower-case words joined by '-'")

    def register(check: Any) -> Any:
        RULES[name] = Rule(name, description, check, target)
        return check

    return register


def rule(name: str, description: str) -> Callable[[Check], Check]:
    """Register the decorated function as the component rule ``name``; registering a name
    again replaces the rule (``conf.py`` runs again on every build in one process)."""
    return _register(name, description, Target.COMPONENTS)


def dag_rule(name: str, description: str) -> Callable[[DagCheck], DagCheck]:
    """Register the decorated function as the DAG rule ``name``, run over each DAG an
    agreement covers (``:applies-to: dags``); names are shared with component rules."""
    return _register(name, description, Target.DAGS)


# --- what an agreement applies to --------------------------------------------------------------


def _owner_names(component: Component, catalog: Catalog) -> frozenset[str]:
    provider = catalog.provider(component.owner)
    return provider.names if provider else owner_names(component.owner)


@dataclass(frozen=True)
class Scope:
    """An agreement's ``:applies-to:``: kinds (``operators``), owners (``acme_platform``,
    ``http``), names (``*ToPostgres*``, ``acme_platform.operators``) and ``dags``.

    A component matches when it matches every group that is given (one entry of a group is
    enough); an empty scope means every in-house component. ``dags`` makes the scope cover the
    scanned DAGs, narrowed by the name entries (a DAG matches one by its dag_id or a tag); a
    scope with ``dags`` covers components only if it also names a kind or an owner.
    """

    patterns: tuple[str, ...] = ()

    def groups(self, catalog: Catalog) -> tuple[set[Kind], set[str], list[str]]:
        owners = {n for p in catalog.providers for n in p.names}
        kinds: set[Kind] = set()
        owner_tokens: set[str] = set()
        names: list[str] = []
        for token in (t for t in self.patterns if not _is_dags(t)):
            kind = Kind.parse(token)
            if kind is not None:
                kinds.add(kind)
            elif not _GLOB.search(token) and canonical_name(token) in owners:
                owner_tokens.add(canonical_name(token))
            else:
                names.append(token)
        return kinds, owner_tokens, names

    @property
    def covers_dags(self) -> bool:
        return any(_is_dags(token) for token in self.patterns)

    def covers(self, target: Target, catalog: Catalog) -> bool:
        """Whether the scope covers anything ``target`` rules run over."""
        if target is Target.DAGS:
            return self.covers_dags
        kinds, owners, _ = self.groups(catalog)
        return not self.covers_dags or bool(kinds or owners)

    def matcher(self, catalog: Catalog) -> Callable[[Component], bool]:
        """A test for one component, with the patterns sorted into groups once."""
        if not self.patterns:
            return lambda c: c.in_house
        if not self.covers(Target.COMPONENTS, catalog):
            return lambda c: False
        kinds, owners, names = self.groups(catalog)
        return lambda c: (
            (not kinds or c.kind in kinds)
            and (not owners or bool(owners & _owner_names(c, catalog)))
            and (not names or any(_name_matches(c, n) for n in names))
        )

    def select(self, catalog: Catalog, *, in_house_only: bool = False) -> list[Component]:
        """The catalog's components in scope, in catalog order."""
        matches = self.matcher(catalog)
        return [c for c in catalog if (c.in_house or not in_house_only) and matches(c)]

    def matches(self, component: Component, catalog: Catalog) -> bool:
        return self.matcher(catalog)(component)

    def select_dags(self, scan: DagScan | None, catalog: Catalog) -> list[Dag]:
        """The scanned DAGs in scope, in scan order: none unless the scope names ``dags``;
        every DAG, or those whose dag_id or a tag matches a name entry."""
        if scan is None or not self.covers_dags:
            return []
        names = self.groups(catalog)[2]
        return [
            dag
            for dag in scan.dags
            if not names
            or any(fnmatch.fnmatchcase(v, n) for n in names for v in (dag.dag_id, *dag.tags))
        ]


def _is_dags(token: str) -> bool:
    return token.strip().casefold() in DAG_ENTRIES


def _name_matches(component: Component, pattern: str) -> bool:
    return (
        fnmatch.fnmatchcase(component.name, pattern)
        or fnmatch.fnmatchcase(component.path, pattern)
        or component.path.startswith(pattern + ".")
    )


# --- reading the source -----------------------------------------------------------------------


def class_node(component: Component) -> ast.ClassDef | None:
    """The component's class definition, read from its source file."""
    if not component.source_file:
        return None
    tree = ast_facts.parse_file(component.source_file)
    return ast_facts.find_class(tree, component.name) if tree else None


def own_method(component: Component, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The method ``name`` as the component's own class body defines it, if it does."""
    node = class_node(component)
    return ast_facts.methods(node).get(name) if node else None


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _self_attributes(node: ast.ClassDef) -> set[str]:
    """Names assigned as ``self.<name>`` anywhere in the class, or in its body."""
    found = set(ast_facts.class_assignments(node))
    for sub in ast.walk(node):
        targets: list[ast.expr] = []
        if isinstance(sub, ast.Assign):
            targets = list(sub.targets)
        elif isinstance(sub, (ast.AnnAssign, ast.AugAssign)):
            targets = [sub.target]
        for target in targets:
            for leaf in ast.walk(target):
                if (
                    isinstance(leaf, ast.Attribute)
                    and isinstance(leaf.value, ast.Name)
                    and leaf.value.id == "self"
                ):
                    found.add(leaf.attr)
    return found


# --- the shipped rules ------------------------------------------------------------------------


@rule("docstring-required", "Every component has a docstring of its own.")
def docstring_required(component: Component, catalog: Catalog) -> Iterator[str]:
    if not component.docstring.strip():
        yield f"{component.kind.value} {component.name} has no docstring"


@rule("params-documented", "Every __init__ parameter is documented (*args/**kwargs aside).")
def params_documented(component: Component, catalog: Catalog) -> Iterator[Violation]:
    init = own_method(component, "__init__")
    lines: dict[str, int] = {}
    if init is not None:
        arguments = init.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        lines = {a.arg: a.lineno for a in every}
    for parameter in component.parameters:
        if not parameter.variadic and not parameter.description.strip():
            yield Violation(
                f"parameter {parameter.name!r} is not documented "
                f"(add ':param {parameter.name}:' to the docstring)",
                lines.get(parameter.name, 0),
            )


@rule(
    "templated-fields-are-params",
    "Every templated field is a constructor parameter or an attribute the class sets.",
)
def templated_fields_are_params(component: Component, catalog: Catalog) -> Iterator[str]:
    if not component.template_fields:
        return
    nodes = [class_node(component)]
    paths = catalog.by_path()
    nodes += [class_node(paths[base]) for base in component.bases if base in paths]
    known = [n for n in nodes if n is not None]
    if not known:
        return  # no source to read: nothing can be said about attributes
    attributes = set().union(*(_self_attributes(n) for n in known))
    for name in component.template_fields:
        if component.parameter(name) is None and name not in attributes:
            yield f"templated field {name!r} is neither a parameter nor an attribute"


@rule(
    "transfer-naming",
    "Transfers are named <Source>To<Target>Operator and use a hook for each side.",
)
def transfer_naming(component: Component, catalog: Catalog) -> Iterator[str]:
    if component.kind is not Kind.TRANSFER:
        return
    if transfer_ends(component.name) is None:
        yield f"transfer {component.name} is not named <Source>To<Target>Operator"
    hooks = set(component.uses_hooks)
    if len(hooks) < 2:
        yield f"transfer {component.name} uses {len(hooks)} hook(s), not one per side"


@rule("hook-connection-declared", "Hooks declare conn_type and default_conn_name.")
def hook_connection_declared(component: Component, catalog: Catalog) -> Iterator[str]:
    if component.kind is not Kind.HOOK:
        return
    connection = component.connection
    for attribute in ("conn_type", "default_conn_name"):
        if not (getattr(connection, attribute) if connection else ""):
            yield f"hook {component.name} does not declare {attribute}"


@rule("no-hook-in-init", "Operators create hooks in execute(), never in __init__.")
def no_hook_in_init(component: Component, catalog: Catalog) -> Iterator[Violation]:
    if component.kind not in OPERATOR_KINDS:
        return
    init = own_method(component, "__init__")
    if init is None:
        return
    hooks = {c.name for c in catalog if c.kind is Kind.HOOK}
    for call in ast.walk(init):
        if not isinstance(call, ast.Call):
            continue
        name = _callee(call.func)
        if name.endswith("Hook") or name in hooks or name == "get_hook":
            yield Violation(
                f"__init__ creates a hook ({name}); this runs whenever the DAG is parsed: "
                "create it in execute()",
                call.lineno,
            )


@rule("execute-documented", "Operators that override execute() give it a docstring.")
def execute_documented(component: Component, catalog: Catalog) -> Iterator[Violation]:
    if component.kind not in OPERATOR_KINDS:
        return
    execute = own_method(component, "execute")
    if execute is not None and not ast.get_docstring(execute):
        yield Violation(f"{component.name}.execute() has no docstring", execute.lineno)
