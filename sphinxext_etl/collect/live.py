"""Live introspection: imported classes read into the model."""

from __future__ import annotations

import ast
import inspect
import itertools
from types import ModuleType
from typing import Any

from sphinxext_etl.collect import ast_facts, connection_form, deprecations, docstrings
from sphinxext_etl.collect.airflow import Bases, airflow_bases
from sphinxext_etl.collect.hooks_used import hooks_used
from sphinxext_etl.collect.modules import ClassContext, Notes, class_path, module_file
from sphinxext_etl.model import Component, Connection, Deprecation, Kind, Parameter, source_location
from sphinxext_etl.model.values import normal_default, shown


def own_mro(cls: type, bases: Bases) -> list[type]:
    """The classes from ``cls`` up to, but excluding, the Airflow base it derives from."""
    return list(
        itertools.takewhile(lambda k: k is not object and not bases.is_base(k), cls.__mro__)
    )


def text_of_default(value: Any) -> str:
    """A deterministic text for a default value (no memory addresses)."""
    if value is inspect.Parameter.empty:
        return ""
    if inspect.isfunction(value) or inspect.isclass(value) or inspect.ismethod(value):
        return value.__qualname__
    text = shown(repr(value))
    # A set's repr follows string hashes, which differ from process to process.
    return normal_default(text) if isinstance(value, (set, frozenset)) else text


def text_of_annotation(annotation: Any) -> str:
    if annotation is inspect.Parameter.empty:
        return ""
    if isinstance(annotation, str):
        return annotation
    return shown(inspect.formatannotation(annotation))


def as_names(value: Any, attribute: str, location: str, notes: Notes) -> tuple[str, ...]:
    """``template_fields``-like values as a tuple; a bare string is one name, with a warning."""
    if value is None:
        return ()
    if isinstance(value, str):
        message = (
            f"{attribute} is the bare string {value!r}; read it as ({value!r},). "
            "Write a one-element tuple, or Airflow templates each character."
        )
        notes.append((message, location, "template"))
        return (value,)
    try:
        return tuple(str(v) for v in value)
    except TypeError:
        notes.append((f"{attribute} is not a sequence of names: {value!r}", location, "template"))
        return ()


def read_parameters(
    chain: list[type],
    templated: tuple[str, ...],
    notes: Notes,
    location: str,
    nodes: dict[type, ast.ClassDef],
) -> tuple[Parameter, ...]:
    """Constructor parameters merged over ``chain`` (nearest class first wins), with the
    deprecations each ``__init__`` warns about under a condition on one parameter. A base's
    parameters are reachable only through a nearer ``**kwargs``, and not when the nearer class
    sets them itself (``super().__init__(method="chat.postMessage", **kwargs)``)."""
    descriptions: dict[str, str] = {}
    for klass in reversed(chain):
        descriptions.update(docstrings.param_descriptions(klass.__dict__.get("__doc__") or ""))
        init_doc = getattr(klass.__dict__.get("__init__"), "__doc__", None)
        descriptions.update(docstrings.param_descriptions(init_doc or ""))
    found: dict[str, Parameter] = {}
    bound: set[str] = set()
    for klass in chain:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            signature = inspect.signature(init)
        except (TypeError, ValueError) as exc:
            message = f"cannot read the signature of {class_path(klass)}: {exc}"
            notes.append((message, location, "signature"))
            continue
        parameters = list(signature.parameters.values())[1:]
        for parameter in parameters:
            if parameter.name in found or parameter.name in bound:
                continue
            variadic = parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
            found[parameter.name] = Parameter(
                name=parameter.name,
                annotation=text_of_annotation(parameter.annotation),
                default=text_of_default(parameter.default),
                required=parameter.default is parameter.empty and not variadic,
                description=descriptions.get(parameter.name, ""),
                defined_in=class_path(klass),
                templated=parameter.name in templated,
                variadic=variadic,
            )
        if not any(p.kind is p.VAR_KEYWORD for p in parameters):
            break
        node = nodes.get(klass)
        bound |= ast_facts.super_keywords(node) - found.keys() if node else set()
    owner_path = class_path(chain[0]) if chain else ""
    return deprecations.with_deprecations(
        found, [nodes[k] for k in chain if k in nodes], owner_path, bound
    )


def _adapter_deprecation(cls: type, adapter: Any) -> Deprecation | None:
    """A ``deprecated`` package adapter's reason; where it gives none (Airflow's own adapter,
    built from ``use_instead`` and a removal date), the message it would warn with."""
    if getattr(adapter, "reason", None) is None:
        return None
    message = str(adapter.reason or "")
    if not message:
        try:
            message = str(adapter.get_deprecated_msg(cls, None))
        except Exception:
            message = ""
    use_instead = str(getattr(adapter, "use_instead", "") or "")
    return Deprecation(message, use_instead or deprecations.replacement(message))


def _source_of(cls: type) -> tuple[str, ast.Module | None, ast.ClassDef | None]:
    """A live class's source file, its parse and the class's definition in it, where found."""
    source = module_file(cls.__module__) or ""
    tree = ast_facts.parse_file(source) if source else None
    return source, tree, ast_facts.find_class(tree, cls.__qualname__) if tree else None


def class_nodes(chain: list[type]) -> dict[type, ast.ClassDef]:
    """The source definition of each class in ``chain`` that has one, in chain order."""
    return {klass: node for klass in chain if (node := _source_of(klass)[2]) is not None}


def deprecation_of(
    cls: type, node: ast.ClassDef | None, doc: str, source_file: str
) -> Deprecation | None:
    """Class-level deprecation: a ``@deprecated`` marker on the live class, else what its
    source (``node`` in ``source_file``) and docstring show (see :mod:`.deprecations`)."""
    marker = getattr(cls, "__deprecated__", None)  # PEP 702 / typing_extensions.deprecated
    if isinstance(marker, str) and "__deprecated__" in cls.__dict__:
        return Deprecation(marker, deprecations.replacement(marker))
    new = cls.__dict__.get("__new__")
    wrapped = getattr(new, "__func__", new)
    if getattr(wrapped, "__module__", "").startswith("deprecated."):
        for cell in getattr(wrapped, "__closure__", None) or ():
            found = _adapter_deprecation(cls, cell.cell_contents)
            if found is not None:
                return found
        return Deprecation("")
    if node is None:
        return deprecations.docstring_deprecation(doc)
    return deprecations.class_deprecation(node, doc, ast_facts.parse_file(source_file))


def declared_in_order(chain: list[type], nodes: dict[type, ast.ClassDef], attribute: str) -> bool:
    """Whether the nearest class that sets ``attribute`` spells it out as a sequence; one
    computed from a set comes out in a different order on every run."""
    for klass in chain:
        if attribute not in klass.__dict__:
            continue
        node = nodes.get(klass)
        value = ast_facts.class_assignments(node).get(attribute) if node else None
        return value is None or isinstance(value, (ast.Tuple, ast.List, ast.Constant))
    return True


def connection_of(cls: type, chain: list[type], declared: Connection | None) -> Connection:
    """A hook's connection facts; what the class leaves out, its provider info may declare
    (providers that only fill ``connection-types``). A form the provider info declares
    (``conn-fields``, ``ui-field-behaviour``) is the form, as from Airflow 3.2, which then
    no longer asks the hook; otherwise the hook's own methods give it."""
    declared = declared or Connection()
    form = connection_form.form_of(declared) or connection_form.hook_form(cls, chain)
    return Connection(
        conn_type=str(getattr(cls, "conn_type", "") or "") or declared.conn_type,
        hook_name=str(getattr(cls, "hook_name", "") or "") or declared.hook_name,
        conn_name_attr=str(getattr(cls, "conn_name_attr", "") or ""),
        default_conn_name=str(getattr(cls, "default_conn_name", "") or ""),
        testable=any("test_connection" in k.__dict__ for k in chain),
        **form,
    )


def introspect_class(cls: type, context: ClassContext, notes: Notes) -> Component | None:
    """Read one live class into a Component, or None if it is no Airflow component."""
    bases = airflow_bases()
    kind = bases.kind_of(cls)
    if kind is None:
        return None
    chain = own_mro(cls, bases)
    by_class = class_nodes(chain)
    nodes = list(by_class.values())
    node = by_class.get(cls)
    source_file = module_file(cls.__module__) or ""
    location = source_location(source_file or cls.__module__, node.lineno if node else 0)
    doc = docstrings.clean(cls.__doc__ if "__doc__" in cls.__dict__ else "")
    templated = as_names(getattr(cls, "template_fields", ()), "template_fields", location, notes)
    if not declared_in_order(chain, by_class, "template_fields"):
        templated = tuple(sorted(templated))
    renderers = getattr(cls, "template_fields_renderers", None) or {}
    return context.component(
        class_path(cls),
        kind,
        doc,
        parameters=read_parameters(chain, templated, notes, location, by_class),
        template_fields=templated,
        template_ext=as_names(getattr(cls, "template_ext", ()), "template_ext", location, notes),
        template_fields_renderers=tuple((str(k), str(v)) for k, v in dict(renderers).items()),
        ui_color=str(getattr(cls, "ui_color", "") or "") if kind.value in _TASK_KINDS else "",
        deferrable=kind.value in _TASK_KINDS
        and (getattr(cls, "start_from_trigger", False) is True or ast_facts.defers(nodes)),
        deprecation=deprecation_of(cls, node, doc, source_file),
        connection=connection_of(cls, chain, context.connections.get(class_path(cls)))
        if kind is Kind.HOOK
        else None,
        uses_hooks=hooks_used(cls, by_class, bases),
        bases=tuple(class_path(k) for k in chain[1:]),
        source_file=source_file,
        source_line=node.lineno if node else 0,
        docstring_line=ast_facts.docstring_line(node) if node else 0,
    )


_TASK_KINDS = {Kind.OPERATOR.value, Kind.SENSOR.value, Kind.TRANSFER.value}


def read_class_statically(cls: type, context: ClassContext) -> Component | None:
    """The class read from its source, for when reading the live class raised."""
    from sphinxext_etl.collect import source as static

    source, tree, node = _source_of(cls)
    if tree is None or node is None:
        return None
    imports = static.imported_names(tree, cls.__module__)
    return static.read_class(node, cls.__module__, source, context, imports, tree)


def introspect_or_read_statically(
    cls: type, context: ClassContext, notes: Notes
) -> Component | None:
    """:func:`introspect_class`, falling back to the class's source when reading the live
    class raises (a metaclass that raises on attribute access, say); the problem is a warning
    located at the class's own line."""
    try:
        return introspect_class(cls, context, notes)
    except Exception as exc:
        component = read_class_statically(cls, context)
        where = (
            source_location(component.source_file, component.source_line)
            if component is not None
            else source_location(module_file(cls.__module__) or cls.__module__)
        )
        outcome = "read it statically from source" if component else "left it out"
        message = f"cannot introspect {class_path(cls)}: {exc!r}; {outcome}"
        notes.append((message, where, "introspect"))
        return component


def introspect_module(
    module: ModuleType,
    context: ClassContext,
    notes: Notes,
    *,
    skip_private: bool = True,
) -> list[Component]:
    """Components of the classes ``module`` itself defines (not those imported into it), in
    source order."""
    own = (
        cls
        for name, cls in vars(module).items()
        if isinstance(cls, type)
        and cls.__module__ == module.__name__
        and not (skip_private and name.startswith("_"))
    )
    read = (introspect_or_read_statically(cls, context, notes) for cls in own)
    return [component for component in read if component is not None]
