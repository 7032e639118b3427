"""The shipped component rules, and what rules (teams' own too) read a component's source
with: :func:`class_node` and :func:`own_method`. Each rule registers itself in
:mod:`.registry` when this module is imported. Nothing here knows about Sphinx."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from sphinxext_etl.agreements.registry import OPERATOR_KINDS, Violation, rule
from sphinxext_etl.collect import ast_facts
from sphinxext_etl.model import Catalog, Component, Kind, transfer_ends

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


def _self_attributes(node: ast.ClassDef) -> set[str]:
    """Names assigned as ``self.<name>`` anywhere in the class, or in its body."""
    found = set(ast_facts.class_assignments(node))
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
            leaves = (leaf for target in targets for leaf in ast.walk(target))
            found.update(
                leaf.attr
                for leaf in leaves
                if isinstance(leaf, ast.Attribute)
                and ast_facts.attribute_chain(leaf) == f"self.{leaf.attr}"
            )
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
        name = ast_facts.callee(call)
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
