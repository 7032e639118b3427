"""The model as JSON: an exact round trip, and a schema version that guards the cache."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from sphinxext_etl import model
from sphinxext_etl.model import (
    Catalog,
    Component,
    Connection,
    Deprecation,
    Integration,
    Kind,
    Origin,
    Parameter,
    Provider,
)
from sphinxext_etl.model import json as model_json
from sphinxext_etl.model.dags import Dag, Schedule, ScheduleKind, Task
from sphinxext_etl.model.json import SCHEMA_VERSION, dumps, loads, published, to_json

HTTP = "apache-airflow-providers-http"
HOOK = "airflow.providers.http.hooks.http.HttpHook"


def rich_catalog() -> Catalog:
    """Something of everything: every kind, every optional fact, every tuple field."""
    providers = (
        Provider(
            name=HTTP,
            title="HTTP",
            version="6.3.0",
            description="`HTTP <https://www.w3.org/Protocols/>`__ provider.",
            package="airflow.providers.http",
            integrations=(
                Integration(
                    name="Hypertext Transfer Protocol (HTTP)",
                    external_doc_url="https://www.w3.org/Protocols/",
                    how_to_guide=("/docs/apache-airflow-providers-http/operators.rst",),
                    tags=("protocol",),
                ),
                Integration(name="Bare"),
            ),
        ),
        Provider(name="acme_platform", version="1.2.0", in_house=True, package="acme_platform"),
    )
    components = (
        Component(
            path="acme_platform.operators.archive.ArchiveOperator",
            kind=Kind.OPERATOR,
            owner="acme_platform",
            owner_version="1.2.0",
            in_house=True,
            summary="Archive a table.",
            docstring="Archive a table.\n\n:param table: The table.",
            parameters=(
                Parameter(
                    name="table",
                    annotation="str",
                    required=True,
                    description="The table.",
                    defined_in="acme_platform.operators.archive.ArchiveOperator",
                    templated=True,
                ),
                Parameter(
                    name="bucket",
                    annotation="str | None",
                    default="None",
                    deprecation=Deprecation("Use target instead.", replacement="target"),
                ),
                Parameter(name="legacy_mode", via_kwargs=True, deprecation=Deprecation()),
                Parameter(name="kwargs", variadic=True),
            ),
            template_fields=("table",),
            template_ext=(".sql", ".json"),
            template_fields_renderers=(("table", "sql"), ("params", "json")),
            ui_color="#ffefeb",
            deferrable=True,
            uses_hooks=(HOOK,),
            bases=("acme_platform.operators.base.AcmeOperator",),
            source_file="/src/acme_platform/operators/archive.py",
            source_line=12,
            docstring_line=13,
            integration="Archive",
        ),
        Component(
            path="acme_platform.sensors.ping.PingSensor",
            kind=Kind.SENSOR,
            owner="acme_platform",
            in_house=True,
            origin=Origin.STATIC,
        ),
        Component(
            path=HOOK,
            kind=Kind.HOOK,
            owner=HTTP,
            owner_version="6.3.0",
            connection=Connection(
                conn_type="http",
                hook_name="HTTP",
                conn_name_attr="http_conn_id",
                default_conn_name="http_default",
                extra_fields=(("timeout", "Timeout"), ("verify", "Verify SSL")),
                testable=True,
                hidden_fields=("schema",),
                relabeling=(("login", "User"),),
                placeholders=(("host", "api.example.com"), ("timeout", "30")),
                extra_field_descriptions=(("verify", "Check the server's certificate."),),
                extra_field_types=(("timeout", "integer"), ("verify", "boolean")),
            ),
        ),
        Component(
            path="acme_platform.transfers.copy.SqliteToPostgresOperator",
            kind=Kind.TRANSFER,
            owner="acme_platform",
            source_system="SQLite",
            target_system="PostgreSQL",
        ),
        Component(
            path="airflow.providers.http.triggers.http.HttpTrigger",
            kind=Kind.TRIGGER,
            owner=HTTP,
        ),
        Component(
            path="acme_platform.notifiers.chat.ChatNotifier",
            kind=Kind.NOTIFIER,
            owner="acme_platform",
            deprecation=Deprecation(
                "ChatNotifier is deprecated; use TeamsNotifier.", replacement="TeamsNotifier"
            ),
        ),
    )
    return Catalog(providers=providers, components=components)


def test_every_kind_is_in_the_rich_catalog() -> None:
    """The round trip below covers every kind."""
    assert {c.kind for c in rich_catalog()} == set(Kind)


def test_rich_catalog_round_trips_exactly() -> None:
    """``loads(dumps(c)) == c``: enums, nested data classes and tuples come back as they were."""
    catalog = rich_catalog()
    assert loads(dumps(catalog)) == catalog
    assert loads(dumps(catalog, indent=None)) == catalog


def test_round_trip_keeps_types() -> None:
    """Tuples stay tuples (not lists), enums stay enums, absent facts stay None."""
    catalog = loads(dumps(rich_catalog()))
    archive, sensor, hook, *_ = catalog.components
    assert isinstance(archive.parameters, tuple) and isinstance(archive.parameters[0], Parameter)
    assert archive.template_fields_renderers == (("table", "sql"), ("params", "json"))
    assert isinstance(archive.template_fields_renderers[0], tuple)
    assert archive.parameters[1].deprecation == Deprecation("Use target instead.", "target")
    assert archive.parameters[0].deprecation is None
    assert archive.parameters[2].via_kwargs
    assert sensor.origin is Origin.STATIC and sensor.static
    assert hook.kind is Kind.HOOK and hook.deprecation is None
    assert hook.connection is not None
    assert hook.connection.extra_fields == (("timeout", "Timeout"), ("verify", "Verify SSL"))
    assert hook.connection.hidden_fields == ("schema",)
    assert hook.connection.extra_field_types == (("timeout", "integer"), ("verify", "boolean"))
    assert isinstance(hook.connection.placeholders[0], tuple)
    assert catalog.providers[0].integrations[0].how_to_guide == (
        "/docs/apache-airflow-providers-http/operators.rst",
    )


def test_dumps_is_sorted_and_versioned(file_regression: Any) -> None:
    """The published ``catalog.json`` shape: sorted keys, the schema at the top, enum values."""
    text = dumps(rich_catalog())
    data = json.loads(text)
    assert data["schema"] == SCHEMA_VERSION
    assert list(data) == sorted(data)
    assert dumps(rich_catalog()) == text
    file_regression.check(text + "\n", extension=".json")


@pytest.mark.parametrize("schema", [None, 1, SCHEMA_VERSION + 1, str(SCHEMA_VERSION)])
def test_loads_rejects_another_schema(schema: object) -> None:
    """A payload of another (or no) schema version is refused, never half-read."""
    data: dict[str, Any] = json.loads(dumps(rich_catalog()))
    if schema is None:
        del data["schema"]
    else:
        data["schema"] = schema
    with pytest.raises(ValueError, match="is not one of 2, 3"):
        loads(json.dumps(data))


def test_a_catalog_published_before_dags_still_loads_for_comparisons() -> None:
    data: dict[str, Any] = json.loads(dumps(rich_catalog()))
    data["schema"] = 2
    del data["dags"]
    assert loads(json.dumps(data)) == rich_catalog()


def test_a_published_catalog_has_no_absolute_path_and_round_trips() -> None:
    dag = Dag(
        "daily_orders",
        "/srv/site/dags/orders.py",
        12,
        schedule=Schedule(ScheduleKind.CRON, "@daily", "0 0 * * *"),
        tasks=(Task("load", "acme.operators.LoadOperator", 14),),
    )
    component = dataclasses.replace(
        rich_catalog().components[0],
        path="airflow.providers.http.hooks.http.HttpHook",
        source_file="/opt/venv/lib/python3.11/site-packages/airflow/providers/http/hooks/http.py",
    )
    catalog = Catalog(components=(component,), dags=(dag,))
    shown = published(catalog, "/srv/site")
    text = dumps(shown)
    assert "/srv" not in text and "/opt" not in text
    assert shown.components[0].source_file == "airflow/providers/http/hooks/http.py"
    assert shown.dags[0].file == "dags/orders.py"
    assert loads(text) == shown


def test_loads_empty_catalog() -> None:
    """Only the schema is needed; everything else defaults to empty."""
    assert loads(json.dumps({"schema": SCHEMA_VERSION})) == Catalog()


def test_component_from_json_defaults() -> None:
    """A minimal component: live origin, no parameters, empty tuples."""
    component = model_json.from_json(Component, {"path": "a.b.C", "kind": "sensor", "owner": "a"})
    assert component == Component("a.b.C", Kind.SENSOR, "a")
    assert component.origin is Origin.LIVE


def test_connection_without_form_facts_loads_with_defaults() -> None:
    """A catalog written before the connection form facts (same schema) still loads."""
    connection = model_json.from_json(
        Connection,
        {"conn_type": "http", "extra_fields": [["timeout", "Timeout"]], "testable": True},
    )
    assert connection == Connection(
        conn_type="http", extra_fields=(("timeout", "Timeout"),), testable=True
    )
    assert connection.hidden_fields == () and connection.placeholders == ()


def test_provider_from_json_integration_defaults() -> None:
    """An integration needs only its name."""
    provider = model_json.from_json(Provider, {"name": "p", "integrations": [{"name": "X"}]})
    assert provider == Provider("p", integrations=(Integration("X"),))


def test_unknown_kind_is_an_error() -> None:
    """Kinds are not guessed."""
    with pytest.raises(ValueError):
        model_json.from_json(Component, {"path": "a.b.C", "kind": "dag", "owner": "a"})


def test_to_json_values() -> None:
    """Enums become values, data classes dicts, tuples lists; other values pass."""
    assert to_json(Kind.HOOK) == "hook"
    assert to_json((Origin.STATIC, ("a", 1))) == ["static", ["a", 1]]
    assert to_json(Deprecation("m", "r")) == {"message": "m", "replacement": "r"}
    assert to_json(None) is None
    assert to_json(Deprecation) is Deprecation  # a class is not an instance


def test_model_re_exports_the_json_functions() -> None:
    """``from sphinxext_etl.model import loads`` is the JSON module's."""
    assert model.dumps is dumps and model.loads is loads
    assert model.to_json is to_json and model.SCHEMA_VERSION == SCHEMA_VERSION
