"""Reading components from source with :mod:`ast`: the fallback for modules that won't import
(and for ``etl_static_modules``)."""

from __future__ import annotations

import ast

from sphinxext_etl.collect import ast_facts, deprecations, docstrings
from sphinxext_etl.collect.modules import ClassContext
from sphinxext_etl.model import Component, Connection, Kind, Origin, Parameter

#: Base-class name endings and the kind they suggest, most specific first.
_KIND_BY_BASE: tuple[tuple[str, Kind], ...] = (
    ("SensorOperator", Kind.SENSOR),
    ("Sensor", Kind.SENSOR),
    ("Hook", Kind.HOOK),
    ("Trigger", Kind.TRIGGER),
    ("Notifier", Kind.NOTIFIER),
    ("Operator", Kind.OPERATOR),
)


def guess_kind(node: ast.ClassDef) -> Kind | None:
    """The kind suggested by the names of a class's bases, or None if none look like Airflow."""
    # ``AwsBaseOperator[EksHook]``: a generic base is named by what it subscripts.
    names = [
        ast.unparse(base.value if isinstance(base, ast.Subscript) else base).rpartition(".")[2]
        for base in node.bases
    ]
    suggested = (kind for suffix, kind in _KIND_BY_BASE if any(n.endswith(suffix) for n in names))
    return next(suggested, None)


def _parameters(
    node: ast.ClassDef, docs: dict[str, str], path: str, templated: tuple[str, ...]
) -> tuple[Parameter, ...]:
    """The parameters of the class's own ``__init__``, with the deprecations it warns about."""
    init = ast_facts.methods(node).get("__init__")
    if init is None:
        return ()
    args = init.args
    positional = [*args.posonlyargs, *args.args][1:]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(
        args.defaults
    )
    pairs = [
        *zip(positional, defaults, strict=True),
        *zip(args.kwonlyargs, args.kw_defaults, strict=True),
    ]
    found = {
        arg.arg: Parameter(
            name=arg.arg,
            annotation=ast.unparse(arg.annotation) if arg.annotation else "",
            default=ast.unparse(default) if default is not None else "",
            required=default is None,
            description=docs.get(arg.arg, ""),
            defined_in=path,
            templated=arg.arg in templated,
        )
        for arg, default in pairs
    }
    for arg in (args.vararg, args.kwarg):
        if arg is not None:
            found[arg.arg] = Parameter(name=arg.arg, defined_in=path, variadic=True)
    return deprecations.with_deprecations(found, [node], path)


def _names(value: ast.expr | None) -> tuple[str, ...]:
    literal = ast_facts.literal(value) if value is not None else None
    if isinstance(literal, str):
        return (literal,)
    if isinstance(literal, (tuple, list, set, frozenset)):
        return tuple(str(v) for v in literal)
    return ()


def _text(value: ast.expr | None) -> str:
    literal = ast_facts.literal(value) if value is not None else None
    return literal if isinstance(literal, str) else ""


def imported_names(tree: ast.Module, module: str) -> dict[str, str]:
    """``local name -> dotted path`` for the module's imports and its own top-level classes."""
    names = {n.name: f"{module}.{n.name}" for n in tree.body if isinstance(n, ast.ClassDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
        elif isinstance(node, ast.Import):
            names.update({a.asname or a.name: a.name for a in node.names})
    return names


def hook_references(node: ast.ClassDef, imports: dict[str, str]) -> tuple[str, ...]:
    """Hooks a class mentions, as dotted paths through the module's imports. Without the live
    class, a hook is known only by the ``Hook`` suffix of its name."""
    found: set[str] = set()
    own_bases = {ast.unparse(base) for base in node.bases}
    for reference in ast_facts.references(node):
        if reference.chain in own_bases:
            continue
        first, _, rest = reference.chain.partition(".")
        path = reference.chain if reference.imported else imports.get(first, "")
        if path and rest and not reference.imported:
            path = f"{path}.{rest}"
        name = path.rpartition(".")[2]
        if path and name.endswith("Hook") and name != node.name:
            found.add(path)
    return tuple(sorted(found))


def read_class(
    node: ast.ClassDef,
    module: str,
    source_file: str,
    context: ClassContext,
    imports: dict[str, str],
    module_tree: ast.Module,
) -> Component | None:
    """A class of a module's source (``module_tree``, whose ``imports`` name its hooks)."""
    kind = guess_kind(node)
    if kind is None:
        return None
    path = f"{module}.{node.name}"
    doc = docstrings.clean(ast.get_docstring(node, clean=False))
    assigned = ast_facts.class_assignments(node)
    templated = _names(assigned.get("template_fields"))
    init = ast_facts.methods(node).get("__init__")
    init_doc = ast.get_docstring(init) if init is not None else ""
    docs = {**docstrings.param_descriptions(init_doc or ""), **docstrings.param_descriptions(doc)}
    connection = None
    if kind is Kind.HOOK:
        declared = context.connections.get(path) or Connection()
        connection = Connection(
            conn_type=_text(assigned.get("conn_type")) or declared.conn_type,
            hook_name=_text(assigned.get("hook_name")) or declared.hook_name,
            conn_name_attr=_text(assigned.get("conn_name_attr")),
            default_conn_name=_text(assigned.get("default_conn_name")),
            extra_fields=declared.extra_fields,
            testable="test_connection" in ast_facts.methods(node),
        )
    return context.component(
        path,
        kind,
        doc,
        parameters=_parameters(node, docs, path, templated),
        template_fields=templated,
        template_ext=_names(assigned.get("template_ext")),
        ui_color=_text(assigned.get("ui_color")),
        deferrable=ast_facts.defers([node]),
        deprecation=deprecations.class_deprecation(node, doc, module_tree),
        connection=connection,
        uses_hooks=hook_references(node, imports),
        source_file=source_file,
        source_line=node.lineno,
        docstring_line=ast_facts.docstring_line(node),
        origin=Origin.STATIC,
    )


def read_module(
    module: str, source_file: str, context: ClassContext, *, skip_private: bool = True
) -> list[Component]:
    """Components defined at the top level of a module's source, or [] if it can't be parsed."""
    tree = ast_facts.parse_file(source_file) if source_file else None
    if tree is None:
        return []
    imports = imported_names(tree, module)
    classes = (n for n in tree.body if isinstance(n, ast.ClassDef))
    read = (
        read_class(node, module, source_file, context, imports, tree)
        for node in classes
        if not (skip_private and node.name.startswith("_"))
    )
    return [component for component in read if component is not None]
