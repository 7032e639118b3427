"""A hook's connection form as Airflow's UI builds it: the extra fields it adds and how it
hides, relabels and fills the standard ones, from the hook's own methods or its provider info."""

from __future__ import annotations

import contextlib
import sys
import types
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

from sphinxext_etl.collect.modules import find_spec
from sphinxext_etl.model import Connection

#: The Connection facts that describe the form (tuples), as ``Connection(**facts)`` takes them.
FormFacts = dict[str, Any]
FORM_FACTS = (
    "extra_fields",
    "extra_field_types",
    "extra_field_descriptions",
    "hidden_fields",
    "relabeling",
    "placeholders",
)

#: One extra field: its name, label, what it holds ("" or None for a plain string), and the
#: mapping that may give its ``description`` and its ``render_kw`` placeholder.
_ExtraField = tuple[str, object, str | None, Mapping[str, Any]]
#: wtforms field classes, the only four Airflow's form accepts, and what each field holds.
_WIDGET_TYPES = {
    "StringField": "",
    "PasswordField": "password",
    "IntegerField": "integer",
    "BooleanField": "boolean",
}
#: ``conn-fields`` schema types, and what the field holds ("" for a plain string).
_SCHEMA_TYPES = {
    "string": "",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "object": "json",
    "array": "json",
}
#: The form libraries hooks import inside ``get_connection_form_widgets`` (Airflow's own
#: list, ``HookMetaService._get_hooks_with_mocked_fab``), by the distribution's root.
_FORM_MODULES = {
    "wtforms": (
        "wtforms",
        "wtforms.csrf",
        "wtforms.fields",
        "wtforms.fields.simple",
        "wtforms.validators",
    ),
    "flask_babel": ("flask_babel",),
    "flask_appbuilder": ("flask_appbuilder", "flask_appbuilder.fieldwidgets"),
}


def unprefixed(name: object) -> str:
    """``extra__http__timeout``, Airflow's internal name of an extra field, -> ``timeout``."""
    text = str(name)
    if text.startswith("extra__") and text.count("__") >= 2:
        return text.split("__", 2)[2]
    return text


def form_of(connection: Connection) -> FormFacts:
    """The form facts ``connection`` holds, or ``{}`` when it holds none."""
    facts = {name: getattr(connection, name) for name in FORM_FACTS}
    return facts if any(facts.values()) else {}


def behaviour_facts(behaviour: Mapping[str, Any]) -> FormFacts:
    """Facts of a ``get_ui_field_behaviour()`` dict or a provider info's
    ``ui-field-behaviour`` (the same keys, kebab-cased)."""
    hidden = behaviour.get("hidden_fields", behaviour.get("hidden-fields")) or ()
    return {
        "hidden_fields": tuple(str(name) for name in hidden),
        "relabeling": _pairs(behaviour.get("relabeling")),
        "placeholders": _pairs(behaviour.get("placeholders")),
    }


def declared_field_facts(conn_fields: Mapping[str, Any]) -> FormFacts:
    """Facts of a provider info's declarative ``conn-fields``: ``name -> {label,
    description, schema: {type, format, ...}}``."""
    found: list[_ExtraField] = []
    for name, spec in conn_fields.items():
        spec = spec if isinstance(spec, Mapping) else {}
        schema = spec.get("schema")
        schema = schema if isinstance(schema, Mapping) else {}
        declared = schema.get("type", "string")
        candidates = [declared] if isinstance(declared, str) else list(declared or ())
        kind = next((t for t in candidates if t != "null"), "string")
        value_type = "password" if schema.get("format") == "password" else _SCHEMA_TYPES.get(kind)
        found.append((str(name), spec.get("label"), value_type, spec))
    return _extra_field_facts(found)


def widget_facts(widgets: Mapping[str, Any]) -> FormFacts:
    """Facts of ``get_connection_form_widgets()``: wtforms fields not bound to a form, which
    keep their class and arguments (as the stand-ins of :func:`form_libraries` do)."""
    found: list[_ExtraField] = []
    for key, widget in widgets.items():
        args = tuple(getattr(widget, "args", ()) or ())
        kwargs = dict(getattr(widget, "kwargs", {}) or {})
        label = args[0] if args else kwargs.get("label")
        field_class = getattr(getattr(widget, "field_class", None), "__name__", "")
        found.append((unprefixed(key), label, _WIDGET_TYPES.get(field_class), kwargs))
    return _extra_field_facts(found)


def _extra_field_facts(found: list[_ExtraField]) -> FormFacts:
    placeholders = ((n, (spec.get("render_kw") or {}).get("placeholder")) for n, *_, spec in found)
    return {
        "extra_fields": tuple((n, n if label is None else str(label)) for n, label, _, _ in found),
        "extra_field_types": tuple((n, kind) for n, _, kind, _ in found if kind),
        "extra_field_descriptions": tuple(
            (n, str(spec["description"])) for n, _, _, spec in found if spec.get("description")
        ),
        "placeholders": tuple((n, str(text)) for n, text in placeholders if text),
    }


def hook_form(cls: type, chain: list[type]) -> FormFacts:
    """The form the hook's own methods give, as Airflow before 3.2 (and any Airflow, for a
    provider that declares no form) builds it: from the nearest class of ``chain`` that
    defines each method and still has this hook's connection type, never from further up."""
    facts: FormFacts = {}
    widgets = _call_defined(cls, chain, "get_connection_form_widgets")
    if isinstance(widgets, Mapping):
        facts.update(widget_facts(widgets))
    behaviour = _call_defined(cls, chain, "get_ui_field_behaviour")
    if isinstance(behaviour, Mapping):
        from_behaviour = behaviour_facts(behaviour)
        # A placeholder the behaviour gives wins over one a widget's render_kw gives.
        placeholders = dict(facts.get("placeholders", ()))
        placeholders.update(from_behaviour.pop("placeholders"))
        facts.update(from_behaviour, placeholders=tuple(placeholders.items()))
    return facts if any(facts.values()) else {}


def _call_defined(cls: type, chain: list[type], method: str) -> Any:
    conn_type = getattr(cls, "conn_type", None)
    for klass in chain:
        if getattr(klass, "conn_type", None) != conn_type:
            return None
        if method in klass.__dict__:
            try:
                with form_libraries(), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return getattr(cls, method)()
            except Exception:
                return None
    return None


def _pairs(mapping: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(mapping, Mapping):
        return ()
    return tuple((unprefixed(key), str(value)) for key, value in mapping.items())


# --- stand-ins for the web UI's form libraries ---------------------------------------------------


class _UnboundField:
    """What a wtforms field class gives outside a form: the class and its arguments."""

    def __init__(self, field_class: type, args: tuple[Any, ...], kwargs: dict[str, Any]):
        self.field_class = field_class
        self.args = args
        self.kwargs = kwargs


class _StandIn:
    """Any class a hook's form code names (fields, widgets, validators): calling it records
    the arguments, as wtforms does."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return _UnboundField(cls, args, kwargs)


def _lazy_gettext(text: str, *args: Any, **kwargs: Any) -> str:
    return text


class _StandInModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if f"{self.__name__}.{name}" in sys.modules:  # from wtforms import validators
            return sys.modules[f"{self.__name__}.{name}"]
        if name in ("lazy_gettext", "gettext"):
            return _lazy_gettext
        if name in ("any_of", "none_of"):
            return _StandIn
        return type(name, (_StandIn,), {})


@contextlib.contextmanager
def form_libraries() -> Iterator[None]:
    """Stand-ins for the form libraries that are not installed, for the length of one call:
    they are needed only where Airflow's web server runs, and Airflow's API itself reads the
    forms with stand-ins (``HookMetaService``)."""
    added: list[str] = []
    for root, names in _FORM_MODULES.items():
        if find_spec(root) is not None:
            continue
        for name in names:
            if name not in sys.modules:
                sys.modules[name] = _StandInModule(name)
                added.append(name)
    try:
        yield
    finally:
        for name in added:
            sys.modules.pop(name, None)
