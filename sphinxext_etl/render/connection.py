"""The Connection section of a hook's page: its facts as data (built into nodes by the
``etl-connection`` directive), the fields of the connection builder's form, as Airflow's
connection form shows them, and the escaping that keeps its HTML inside a ``raw`` directive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from sphinxext_etl.model import Connection
from sphinxext_etl.render.text import DASH, Inline, Piece, code, listed, plain


@dataclass(frozen=True)
class Fact:
    """One field of a facts list: its name and its value, in pieces."""

    name: str
    value: tuple[Piece, ...]


def _code_or_dash(text: str) -> list[Piece]:
    return [code(text)] if text.strip() else [DASH]


def connection_facts(connection: Connection) -> list[Fact]:
    """What a hook's Connection section lists: type, hook name, default connection ID (and
    the parameter that takes it), extra form fields and whether it can be tested."""
    default = _code_or_dash(connection.default_conn_name)
    if connection.conn_name_attr:
        default += [" (parameter ", code(connection.conn_name_attr), ")"]
    extras: list[list[Piece]] = [
        [code(name), " (", Inline("prose", plain(label)), ")"]
        for name, label in connection.extra_fields
    ]
    hook_name = plain(connection.hook_name)
    return [
        Fact("Connection type", tuple(_code_or_dash(connection.conn_type))),
        Fact("Hook name", (Inline("prose", hook_name) if hook_name else DASH,)),
        Fact("Default connection ID", tuple(default)),
        Fact("Extra form fields", listed(extras, "none")),
        Fact("Connection test", ("yes" if connection.testable else "no",)),
    ]


#: Airflow's standard connection fields, in its form's order, with their default labels.
STANDARD_FIELDS = (
    ("host", "Host"),
    ("schema", "Schema"),
    ("login", "Login"),
    ("password", "Password"),
    ("port", "Port"),
    ("extra", "Extra"),
)
#: What the standard fields hold (the script's value types; the rest are plain strings).
_STANDARD_TYPES = {"password": "password", "port": "port", "extra": "extra"}


@dataclass(frozen=True)
class FormField:
    """One field of the builder's form."""

    #: The standard field's name (``host``), or the extra field's key in ``extra``.
    name: str
    label: str
    #: ``""`` (a string), ``password``, ``integer``, ``number``, ``boolean``, ``json``, or for
    #: standard fields also ``port`` and ``extra`` (the extra JSON object).
    type: str = ""
    #: An extra field, whose value goes into ``extra`` under ``name``.
    extra: bool = False
    placeholder: str = ""
    description: str = ""


def form_fields(connection: Connection) -> list[FormField]:
    """The standard fields the form does not hide (relabelled where the hook says), then the
    extra fields, each with its placeholder and help text."""
    hidden = set(connection.hidden_fields)
    labels = dict(connection.relabeling)
    placeholders = dict(connection.placeholders)
    types = dict(connection.extra_field_types)
    descriptions = dict(connection.extra_field_descriptions)
    fields = [
        FormField(
            name,
            labels.get(name) or label,
            _STANDARD_TYPES.get(name, ""),
            placeholder=placeholders.get(name, ""),
        )
        for name, label in STANDARD_FIELDS
        if name not in hidden
    ]
    fields += [
        FormField(
            name,
            label or name,
            types.get(name, ""),
            extra=True,
            placeholder=placeholders.get(name, ""),
            description=descriptions.get(name, ""),
        )
        for name, label in connection.extra_fields
    ]
    return fields


def html_attribute(text: object) -> str:
    """Text for HTML content or a quoted attribute, on one line: a line break in a raw
    directive's content would end the directive."""
    return escape(str(text), quote=True).replace("\r", "&#13;").replace("\n", "&#10;")


def html_id(text: object) -> str:
    """A fragment for element ids: ``acme_object_store`` stays, other characters become ``-``."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(text))
