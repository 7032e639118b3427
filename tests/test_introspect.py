"""Introspection of the real installed classes into the model, and its JSON round trip."""

from __future__ import annotations

import functools

import pytest

from sphinxext_etl import collect, model
from sphinxext_etl.collect import discovery
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import Kind, Origin
from sphinxext_etl.model import json as model_json


@functools.cache
def catalog() -> model.Catalog:
    config = EtlConfig(
        providers=["standard", "postgres", "sqlite", "http"],
        packages=["acme_platform", "broken_pkg"],
    )
    records = [collect.read_owner(owner, config) for owner in discovery.owners(config)]
    return model.Catalog(
        providers=tuple(r.provider for r in records),
        components=tuple(c for r in records for c in r.components),
    )


def component(path: str) -> model.Component:
    return catalog().by_path()[path]


def test_providers_carry_package_name_version_and_description() -> None:
    http = catalog().provider("apache-airflow-providers-http")
    assert http is not None
    assert http.version and http.title == "Hypertext Transfer Protocol (HTTP)"
    assert "HTTP" in http.description or "http" in http.description.lower()
    assert http.integrations[0].name == "Hypertext Transfer Protocol (HTTP)"
    acme = catalog().provider("acme_platform")
    assert acme is not None and acme.in_house and acme.version == "1.4.0"


def test_bash_operator_parameters_types_defaults_and_templating() -> None:
    bash = component("airflow.providers.standard.operators.bash.BashOperator")
    assert bash.kind is Kind.OPERATOR and bash.owner == "apache-airflow-providers-standard"
    command = bash.parameter("bash_command")
    assert command is not None and command.required and command.templated
    assert "command" in command.description.lower()
    encoding = bash.parameter("output_encoding")
    assert encoding is not None and encoding.default == "'utf-8'" and not encoding.required
    assert encoding.annotation == "str"
    processor = bash.parameter("output_processor")
    assert processor is not None and "0x" not in processor.default
    assert bash.template_fields_renderers[0] == ("bash_command", "bash")
    assert bash.ui_color.startswith("#")
    assert bash.source_file.endswith("operators/bash.py") and bash.source_line > 1
    # Parameters of the Airflow base operator are not merged in.
    assert bash.parameter("task_id") is None


def test_parameters_merge_over_the_mro_down_to_the_airflow_base() -> None:
    http_sensor = component("airflow.providers.http.sensors.http.HttpSensor")
    assert http_sensor.kind is Kind.SENSOR
    assert http_sensor.parameter("poke_interval") is None, "BaseSensorOperator is excluded"
    sqlite = component("airflow.providers.sqlite.hooks.sqlite.SqliteHook")
    inherited = [p for p in sqlite.parameters if p.defined_in.endswith("DbApiHook")]
    assert inherited, "DbApiHook's parameters are merged into SqliteHook"


def test_hook_connection_facts() -> None:
    postgres = component("airflow.providers.postgres.hooks.postgres.PostgresHook")
    assert postgres.connection is not None
    assert postgres.connection.conn_type == "postgres"
    assert postgres.connection.default_conn_name == "postgres_default"
    assert postgres.connection.conn_name_attr == "postgres_conn_id"
    assert postgres.connection.hook_name == "Postgres"
    http = component("airflow.providers.http.hooks.http.HttpHook")
    assert http.connection is not None and http.connection.extra_fields


def test_hook_connection_forms() -> None:
    """From provider info where it declares the form, else from the hook's own methods."""
    postgres = component("airflow.providers.postgres.hooks.postgres.PostgresHook").connection
    assert postgres is not None and postgres.relabeling == (("schema", "Database"),)
    http = component("airflow.providers.http.hooks.http.HttpHook").connection
    assert http is not None and ("srv_lookup", "boolean") in http.extra_field_types
    store = component("acme_platform.hooks.object_store.ObjectStoreHook").connection
    assert store is not None
    assert store.hidden_fields == ("schema", "login", "password", "port", "extra")
    assert store.relabeling == (("host", "Backend"),)
    assert store.extra_fields == (("base_path", "Base path"),)  # wtforms stand-ins if need be
    assert dict(store.placeholders) == {"host": "file", "base_path": "/srv/acme/archive"}


def test_in_house_relations_deferral_and_deprecation() -> None:
    transfer = component("acme_platform.transfers.sqlite_to_postgres.SqliteToPostgresOperator")
    assert transfer.kind is Kind.TRANSFER
    assert (transfer.source_system, transfer.target_system) == ("Sqlite", "Postgres")
    assert set(transfer.uses_hooks) == {
        "airflow.providers.postgres.hooks.postgres.PostgresHook",
        "airflow.providers.sqlite.hooks.sqlite.SqliteHook",
    }
    assert component("acme_platform.operators.batch.WaitForBatchOperator").deferrable
    assert not component(
        "acme_platform.operators.archive.ArchiveIngestedEntitiesOperator"
    ).deferrable
    legacy = component("acme_platform.operators.legacy.LegacyExportOperator")
    assert legacy.deprecation == model.Deprecation(
        "Use ArchiveIngestedEntitiesOperator instead.", "ArchiveIngestedEntitiesOperator"
    )
    users = {c.name for c in catalog().used_by("acme_platform.hooks.object_store.ObjectStoreHook")}
    assert users == {
        "ArchiveIngestedEntitiesOperator",
        "EntityArchivedSensor",
        "LegacyExportOperator",
    }


def test_static_fallback_reads_source_of_unimportable_modules() -> None:
    label = component("broken_pkg.operators.ShippingLabelOperator")
    assert label.origin is Origin.STATIC and label.kind is Kind.OPERATOR
    assert label.template_fields == ("batch_id",)
    assert label.uses_hooks == ("broken_pkg.operators.LabelPrinterHook",)
    batch = label.parameter("batch_id")
    assert batch is not None and batch.required and batch.templated and batch.annotation == "str"
    printer = label.parameter("printer")
    assert printer is not None and printer.default == "'default'"
    hook = component("broken_pkg.operators.LabelPrinterHook")
    assert hook.connection is not None and hook.connection.conn_type == "label_printer"
    assert component("broken_pkg.exits.ExitingSensor").kind is Kind.SENSOR
    assert component("broken_pkg.fine.GoodOperator").origin is Origin.LIVE


@pytest.mark.parametrize(
    "path",
    [
        "airflow.providers.standard.operators.bash.BashOperator",
        "airflow.providers.postgres.hooks.postgres.PostgresHook",
        "acme_platform.operators.legacy.LegacyExportOperator",
        "broken_pkg.operators.ShippingLabelOperator",
    ],
)
def test_components_round_trip_through_json(path: str) -> None:
    original = component(path)
    assert model_json.from_json(model.Component, model.to_json(original)) == original


def test_whole_catalog_round_trips_through_json() -> None:
    assert model.loads(model.dumps(catalog())) == catalog()
