"""A hook's connection form: read from its own methods (with stand-ins for the web UI's form
libraries, which are not installed here) or from its provider info's declarations."""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

import pytest

from sphinxext_etl.collect import connection_form
from sphinxext_etl.collect.listing import declared_connections
from sphinxext_etl.collect.live import connection_of
from sphinxext_etl.model import Connection

FORM_LIBRARIES = ("wtforms", "flask_babel", "flask_appbuilder")


class StoreHook:
    """Widgets and behaviour the way providers write them, imports inside the method."""

    conn_type = "store"
    default_conn_name = "store_default"

    @classmethod
    def get_connection_form_widgets(cls) -> dict[str, Any]:
        from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget, BS3TextFieldWidget
        from flask_babel import lazy_gettext
        from wtforms import BooleanField, IntegerField, PasswordField, StringField
        from wtforms.validators import NumberRange

        return {
            "extra__store__bucket": StringField(
                lazy_gettext("Bucket"),
                widget=BS3TextFieldWidget(),
                description="Where objects go.",
                render_kw={"placeholder": "my-bucket"},
            ),
            "token": PasswordField(lazy_gettext("Token"), widget=BS3PasswordFieldWidget()),
            "retries": IntegerField("Retries", validators=[NumberRange(min=0)], default=3),
            "verify": BooleanField(label="Verify TLS"),
        }

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        return {
            "hidden_fields": ["schema", "port"],
            "relabeling": {"login": "Access key"},
            "placeholders": {"host": "store.example.com", "extra__store__bucket": "bucket-1"},
        }


class SameTypeHook(StoreHook):
    """A subclass that keeps the connection type: the same form."""


class OtherTypeHook(StoreHook):
    """A subclass with its own connection type and no form of its own: Airflow shows none."""

    conn_type = "other"


def test_stand_ins_read_widgets_and_leave_no_module_behind() -> None:
    if any(importlib.util.find_spec(name) for name in FORM_LIBRARIES):
        pytest.skip("the form libraries are installed: no stand-ins")
    facts = connection_form.hook_form(StoreHook, [StoreHook])
    assert facts["extra_fields"] == (
        ("bucket", "Bucket"),
        ("token", "Token"),
        ("retries", "Retries"),
        ("verify", "Verify TLS"),
    )
    assert facts["extra_field_types"] == (
        ("token", "password"),
        ("retries", "integer"),
        ("verify", "boolean"),
    )
    assert facts["extra_field_descriptions"] == (("bucket", "Where objects go."),)
    assert not any(name.partition(".")[0] in FORM_LIBRARIES for name in sys.modules)


def test_behaviour_hides_relabels_and_its_placeholders_win() -> None:
    facts = connection_form.hook_form(StoreHook, [StoreHook])
    assert facts["hidden_fields"] == ("schema", "port")
    assert facts["relabeling"] == (("login", "Access key"),)
    # The widget's own placeholder gives way to the behaviour's, under the unprefixed name.
    assert dict(facts["placeholders"]) == {"bucket": "bucket-1", "host": "store.example.com"}


def test_a_subclass_of_the_same_type_has_its_bases_form() -> None:
    chain = [SameTypeHook, StoreHook]
    assert connection_form.hook_form(SameTypeHook, chain) == connection_form.hook_form(
        StoreHook, [StoreHook]
    )


def test_a_subclass_of_another_type_has_no_inherited_form() -> None:
    assert connection_form.hook_form(OtherTypeHook, [OtherTypeHook, StoreHook]) == {}


def test_a_method_that_raises_gives_no_form() -> None:
    class Broken:
        conn_type = "broken"

        @classmethod
        def get_ui_field_behaviour(cls) -> dict[str, Any]:
            raise RuntimeError("needs the web server")

    assert connection_form.hook_form(Broken, [Broken]) == {}


INFO: dict[str, Any] = {
    "connection-types": [
        {
            "connection-type": "store",
            "hook-class-name": "pkg.hooks.StoreHook",
            "hook-name": "Store",
            "conn-fields": {
                "bucket": {"label": "Bucket", "schema": {"type": ["string", "null"]}},
                "token": {"label": "Token", "schema": {"type": "string", "format": "password"}},
                "retries": {
                    "label": "Retries",
                    "description": "How often to retry.",
                    "schema": {"type": ["integer", "null"], "default": 3},
                },
                "ratio": {"schema": {"type": "number"}},
                "options": {"label": "Options", "schema": {"type": ["object", "null"]}},
            },
            "ui-field-behaviour": {
                "hidden-fields": ["schema"],
                "relabeling": {"host": "Endpoint"},
                "placeholders": {"host": "store.example.com", "bucket": "bucket-1"},
            },
        },
        {"connection-type": "bare", "hook-class-name": "pkg.hooks.BareHook"},
    ]
}


def test_provider_info_declares_the_form() -> None:
    declared = declared_connections(INFO)
    assert declared["pkg.hooks.StoreHook"] == Connection(
        conn_type="store",
        hook_name="Store",
        extra_fields=(
            ("bucket", "Bucket"),
            ("token", "Token"),
            ("retries", "Retries"),
            ("ratio", "ratio"),
            ("options", "Options"),
        ),
        extra_field_types=(
            ("token", "password"),
            ("retries", "integer"),
            ("ratio", "number"),
            ("options", "json"),
        ),
        extra_field_descriptions=(("retries", "How often to retry."),),
        hidden_fields=("schema",),
        relabeling=(("host", "Endpoint"),),
        placeholders=(("host", "store.example.com"), ("bucket", "bucket-1")),
    )
    assert declared["pkg.hooks.BareHook"] == Connection(conn_type="bare")


def test_a_declared_form_is_the_form_and_the_hook_fills_the_rest() -> None:
    """As Airflow 3.2 does: with a form in provider info, the hook's methods are not asked."""
    declared = declared_connections(INFO)["pkg.hooks.StoreHook"]
    connection = connection_of(StoreHook, [StoreHook], declared)
    assert connection.relabeling == (("host", "Endpoint"),)
    assert connection.extra_fields == declared.extra_fields
    assert connection.default_conn_name == "store_default"


def test_without_a_declared_form_the_hook_gives_it() -> None:
    connection = connection_of(StoreHook, [StoreHook], Connection(conn_type="store"))
    assert connection.relabeling == (("login", "Access key"),)
    assert connection.hidden_fields == ("schema", "port")


class NoForm:
    conn_type = "plain"


def test_a_hook_without_form_methods_has_no_form_facts() -> None:
    connection = connection_of(NoForm, [NoForm], None)
    assert connection_form.form_of(connection) == {}
    assert connection.conn_type == "plain"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("extra__store__bucket", "bucket"), ("bucket", "bucket"), ("extra__odd", "extra__odd")],
)
def test_unprefixed(name: str, expected: str) -> None:
    assert connection_form.unprefixed(name) == expected
