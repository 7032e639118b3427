"""The Connection section of a hook's page: the facts for every builder, and for HTML the
connection builder's form, whose fields follow the hook's connection form."""

from __future__ import annotations

from typing import Any

from sphinxext_etl.model import Component, Connection, Kind
from sphinxext_etl.render import jinja
from sphinxext_etl.render.connection import (
    Fact,
    FormField,
    connection_facts,
    form_fields,
    html_attribute,
    html_id,
)
from sphinxext_etl.render.text import Inline

STORE = Connection(
    conn_type="acme_store",
    hook_name="ACME <Store>",
    conn_name_attr="store_conn_id",
    default_conn_name='store "default"',
    extra_fields=(("bucket", "Bucket"), ("retries", "Retries"), ("verify", "Verify TLS")),
    testable=True,
    hidden_fields=("schema", "port"),
    relabeling=(("login", "Access key"),),
    placeholders=(("host", "store.example.com"), ("extra", '{\n  "region": "eu"\n}')),
    extra_field_descriptions=(("retries", 'How often to "retry" <at most>.'),),
    extra_field_types=(("retries", "integer"), ("verify", "boolean")),
)


def section(connection: Connection | None) -> str:
    component = Component("acme.hooks.store.StoreHook", Kind.HOOK, "acme", connection=connection)
    return jinja.environment(()).get_template("connection.rst.jinja").render(c=component)


def test_form_shows_the_standard_fields_it_does_not_hide_relabelled() -> None:
    standard = [f for f in form_fields(STORE) if not f.extra]
    assert [(f.name, f.label) for f in standard] == [
        ("host", "Host"),
        ("login", "Access key"),
        ("password", "Password"),
        ("extra", "Extra"),
    ]
    assert standard[0].placeholder == "store.example.com"
    assert [f.type for f in standard] == ["", "", "password", "extra"]


def test_form_adds_the_extra_fields_with_their_types_and_help() -> None:
    extra = [f for f in form_fields(STORE) if f.extra]
    assert extra == [
        FormField("bucket", "Bucket", "", extra=True),
        FormField(
            "retries",
            "Retries",
            "integer",
            extra=True,
            description=STORE.extra_field_descriptions[0][1],
        ),
        FormField("verify", "Verify TLS", "boolean", extra=True),
    ]


def test_a_connection_without_form_facts_shows_every_standard_field() -> None:
    assert [f.name for f in form_fields(Connection(conn_type="x"))] == [
        "host",
        "schema",
        "login",
        "password",
        "port",
        "extra",
    ]


def test_html_attribute_escapes_and_stays_on_one_line() -> None:
    assert (
        html_attribute('<a href="x">\'&\n\r') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#10;&#13;"
    )
    assert html_id("acme.store v2") == "acme-store-v2"


def test_section_snapshot(file_regression: Any) -> None:
    file_regression.check(section(STORE), extension=".rst")


def test_the_builder_is_html_only_and_its_markup_stays_in_the_raw_block() -> None:
    text = section(STORE)
    facts, _, builder = text.partition(".. only:: html\n")
    assert ".. etl-connection:: acme.hooks.store.StoreHook" in facts and "<form" not in facts
    assert builder.startswith("\n   .. raw:: html\n      :class: etl-connection-builder\n\n")
    raw = builder.split("\n\n", 1)[1].rstrip("\n").splitlines()
    assert raw[0].startswith('      <form class="etl-connection-builder"')
    assert all(line.startswith("      ") for line in raw), "a dedented line ends the directive"
    assert "<script" not in builder and "&lt;at most&gt;" in builder


def test_no_builder_without_a_connection_type() -> None:
    text = section(Connection(hook_name="Bare"))
    assert ".. etl-connection:: acme.hooks.store.StoreHook" in text
    assert "raw" not in text and "only" not in text


def test_facts_of_a_connection() -> None:
    """What the ``etl-connection`` directive shows: literals for what is typed in code, text
    from the hook (its name, the extra fields' labels) as inline markup made inert."""
    assert connection_facts(STORE) == [
        Fact("Connection type", (Inline("literal", "acme_store"),)),
        Fact("Hook name", (Inline("prose", "ACME <Store>"),)),
        Fact(
            "Default connection ID",
            (
                Inline("literal", 'store "default"'),
                " (parameter ",
                Inline("literal", "store_conn_id"),
                ")",
            ),
        ),
        Fact(
            "Extra form fields",
            (
                *(Inline("literal", "bucket"), " (", Inline("prose", "Bucket"), ")"),
                *(", ", Inline("literal", "retries"), " ("),
                *(Inline("prose", "Retries"), ")", ", ", Inline("literal", "verify")),
                *(" (", Inline("prose", "Verify TLS"), ")"),
            ),
        ),
        Fact("Connection test", ("yes",)),
    ]


def test_facts_of_a_bare_connection_are_dashes_and_none() -> None:
    facts = {fact.name: fact.value for fact in connection_facts(Connection())}
    assert facts == {
        "Connection type": ("\u2014",),
        "Hook name": ("\u2014",),
        "Default connection ID": ("\u2014",),
        "Extra form fields": ("none",),
        "Connection test": ("no",),
    }


def test_no_section_without_a_connection() -> None:
    assert section(None).strip() == ""
