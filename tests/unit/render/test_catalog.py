"""Catalog tables: which components a query selects, and what each row shows."""

from __future__ import annotations

from typing import Any

import pytest

from sphinxext_etl.model import (
    Catalog,
    Component,
    Connection,
    Deprecation,
    Kind,
    Origin,
    Provider,
)
from sphinxext_etl.render.catalog import (
    COLUMN_TITLES,
    COLUMNS,
    Query,
    catalog_tables,
    cells,
    connection_cell,
    group,
    row_classes,
    select,
    templated_cell,
)
from sphinxext_etl.render.text import DASH, Inline

HTTP = Provider(
    name="apache-airflow-providers-http",
    title="HTTP",
    version="6.3.0",
    package="airflow.providers.http",
)
ACME = Provider(name="acme_platform", version="1.2.0", in_house=True, package="acme_platform")


def http(module: str, name: str, kind: Kind, **facts: Any) -> Component:
    return Component(
        f"airflow.providers.http.{module}.{name}", kind, HTTP.name, owner_version="6.3.0", **facts
    )


def acme(module: str, name: str, kind: Kind, **facts: Any) -> Component:
    return Component(
        f"acme_platform.{module}.{name}",
        kind,
        ACME.name,
        owner_version="1.2.0",
        in_house=True,
        **facts,
    )


CATALOG = Catalog(
    providers=(HTTP, ACME),
    components=(
        http(
            "operators.http",
            "HttpOperator",
            Kind.OPERATOR,
            summary="Call an endpoint through :class:`~airflow.providers.http.hooks.HttpHook`.",
            template_fields=("endpoint", "data", "headers"),
            deferrable=True,
        ),
        http(
            "hooks.http",
            "HttpHook",
            Kind.HOOK,
            summary="Interact with HTTP servers.",
            connection=Connection(
                conn_type="http", hook_name="HTTP", default_conn_name="http_default"
            ),
        ),
        http(
            "sensors.http", "HttpSensor", Kind.SENSOR, summary="Poke an endpoint until it answers."
        ),
        http("triggers.http", "HttpTrigger", Kind.TRIGGER),
        acme(
            "operators.archive",
            "ArchiveOperator",
            Kind.OPERATOR,
            summary="Archive a *table* to the | store.",
            template_fields=("table", "sql"),
            template_ext=(".sql",),
        ),
        acme(
            "operators.archive",
            "LegacyArchiveOperator",
            Kind.OPERATOR,
            summary="Archive the old way.",
            deprecation=Deprecation("Use ArchiveOperator.", replacement="ArchiveOperator"),
        ),
        acme(
            "hooks.store",
            "ObjectStoreHook",
            Kind.HOOK,
            summary="Talk to the object store.",
            origin=Origin.STATIC,
            connection=Connection(hook_name="Object store"),
        ),
        acme(
            "transfers.copy",
            "SqliteToPostgresOperator",
            Kind.TRANSFER,
            summary="Copy rows from SQLite to Postgres.",
            source_system="SQLite",
            target_system="PostgreSQL",
        ),
        acme("notifiers.chat", "ChatNotifier", Kind.NOTIFIER),
    ),
)


def names(components: list[Component]) -> list[str]:
    return [c.name for c in components]


def text(value: str) -> str:
    """A plain text piece: the string itself."""
    return value


def literal(value: str) -> Inline:
    return Inline("literal", value)


DASHED = ((text(DASH),),)


# --- select --------------------------------------------------------------------------------


def test_select_default_is_everything_current_by_name() -> None:
    """No filters: every component that is not deprecated, by name (case-insensitive)."""
    assert names(select(CATALOG, Query())) == [
        "ArchiveOperator",
        "ChatNotifier",
        "HttpHook",
        "HttpOperator",
        "HttpSensor",
        "HttpTrigger",
        "ObjectStoreHook",
        "SqliteToPostgresOperator",
    ]


def test_select_include_deprecated() -> None:
    """Deprecated components appear only when asked for."""
    chosen = names(select(CATALOG, Query(include_deprecated=True)))
    assert "LegacyArchiveOperator" in chosen and len(chosen) == len(CATALOG.components)


def test_select_by_kinds() -> None:
    """Kinds are the kinds' values; any of them matches."""
    assert names(select(CATALOG, Query(kinds=("hook", "transfer")))) == [
        "HttpHook",
        "ObjectStoreHook",
        "SqliteToPostgresOperator",
    ]


@pytest.mark.parametrize(
    "owner", ["http", "HTTP", "apache-airflow-providers-http", "airflow.providers.http"]
)
def test_select_by_provider_spelling(owner: str) -> None:
    """A provider is named by any of its spellings."""
    assert names(select(CATALOG, Query(providers=(owner,)))) == [
        "HttpHook",
        "HttpOperator",
        "HttpSensor",
        "HttpTrigger",
    ]


def test_select_providers_and_packages_are_one_filter() -> None:
    """``providers`` and ``packages`` together select either owner's components."""
    query = Query(providers=("http",), packages=("Acme_Platform",), kinds=("hook",))
    assert names(select(CATALOG, query)) == ["HttpHook", "ObjectStoreHook"]


def test_select_owner_without_provider_entry() -> None:
    """A component whose owner has no provider entry is matched by its canonical owner name."""
    stray = Component("team_x.ops.XOperator", Kind.OPERATOR, "Team_X")
    catalog = Catalog(providers=(), components=(stray,))
    assert select(catalog, Query(packages=("team-x",))) == [stray]
    assert select(catalog, Query(packages=("team",))) == []


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*Hook", ["HttpHook", "ObjectStoreHook"]),
        ("Http*", ["HttpHook", "HttpOperator", "HttpSensor", "HttpTrigger"]),
        ("acme_platform.operators.*", ["ArchiveOperator"]),
        ("*.transfers.*", ["SqliteToPostgresOperator"]),
        ("http*", []),
    ],
)
def test_select_match_glob_on_name_or_path(pattern: str, expected: list[str]) -> None:
    """``match`` is a case-sensitive glob over the class name or the dotted path."""
    assert names(select(CATALOG, Query(match=pattern))) == expected


def test_select_match_with_deprecated_and_sort() -> None:
    """Filters combine; ``sort`` orders by kind, provider or path instead of name."""
    query = Query(match="*Operator", include_deprecated=True, sort="kind")
    assert names(select(CATALOG, query)) == [
        "ArchiveOperator",
        "HttpOperator",
        "LegacyArchiveOperator",
        "SqliteToPostgresOperator",
    ]
    assert names(select(CATALOG, Query(kinds=("hook", "sensor"), sort="provider"))) == [
        "ObjectStoreHook",
        "HttpHook",
        "HttpSensor",
    ]
    assert [c.path for c in select(CATALOG, Query(kinds=("operator",), sort="path"))] == [
        "acme_platform.operators.archive.ArchiveOperator",
        "airflow.providers.http.operators.http.HttpOperator",
    ]


def test_query_key_round_trips() -> None:
    """A query survives its JSON key (tuples included), so rebuilds can replay it."""
    query = Query(kinds=("hook",), providers=("http",), columns=("name", "conn_type"), link=False)
    assert Query.from_key(query.key()) == query
    assert Query.from_key(Query().key()) == Query()


# --- group ---------------------------------------------------------------------------------


def test_group_none_is_one_untitled_group() -> None:
    """Without grouping there is one group, titled ``""``."""
    chosen = select(CATALOG, Query())
    assert group(CATALOG, chosen, "none") == [("", chosen)]


def test_group_by_kind_and_provider_titles() -> None:
    """Kind groups are plural labels, provider groups display names; both sorted by title."""
    chosen = select(CATALOG, Query())
    assert [(t, names(m)) for t, m in group(CATALOG, chosen, "kind")] == [
        ("Hooks", ["HttpHook", "ObjectStoreHook"]),
        ("Notifiers", ["ChatNotifier"]),
        ("Operators", ["ArchiveOperator", "HttpOperator"]),
        ("Sensors", ["HttpSensor"]),
        ("Transfers", ["SqliteToPostgresOperator"]),
        ("Triggers", ["HttpTrigger"]),
    ]
    assert [t for t, _ in group(CATALOG, chosen, "provider")] == ["HTTP", "acme_platform"]


# --- cells ---------------------------------------------------------------------------------


def test_cells_of_a_static_component() -> None:
    """A statically read component says so under its summary."""
    hook = CATALOG.by_path()["acme_platform.hooks.store.ObjectStoreHook"]
    assert cells(CATALOG, hook, COLUMNS, link=True) == (
        (
            (Inline("class", "ObjectStoreHook", "acme_platform.hooks.store.ObjectStoreHook"),),
            (Inline("path", "acme_platform.hooks.store.ObjectStoreHook"),),
        ),
        ((text("Hook"),),),
        (
            (Inline("prose", "Talk to the object store."),),
            (Inline("emphasis", "(introspected statically: its module did not import)"),),
        ),
        ((text("acme_platform 1.2.0"),),),
        DASHED,
        ((text("no"),),),
        DASHED,
        DASHED,  # used in: no DAGs are scanned
    )


def test_used_in_cell_counts_dags() -> None:
    """With a DAG scan, the cell counts the DAGs; without one, it is a dash."""
    hook = CATALOG.by_path()["acme_platform.hooks.store.ObjectStoreHook"]
    for used_in, shown in (({hook.path: 2}, "2 DAGs"), ({hook.path: 1}, "1 DAG"), ({}, "0 DAGs")):
        assert cells(CATALOG, hook, ("used_in",), link=True, used_in=used_in) == (
            ((text(shown),),),
        )


@pytest.mark.parametrize("summary", ["- Talk to the store.", "1. Talk to the store."])
def test_summary_stays_one_paragraph_of_prose(summary: str) -> None:
    """A summary that reads like a list item is still inline markup for one paragraph."""
    component = Component("a.b.StoreHook", Kind.HOOK, "a", summary=summary)
    assert cells(Catalog(components=(component,)), component, ("summary",), link=True) == (
        ((Inline("prose", "\\" + summary),),),
    )


def test_summary_roles_are_literals_and_markup_is_escaped() -> None:
    """A docstring's roles may name what the site lacks: they become literals."""
    operator = CATALOG.by_path()["airflow.providers.http.operators.http.HttpOperator"]
    archive = CATALOG.by_path()["acme_platform.operators.archive.ArchiveOperator"]
    assert cells(CATALOG, operator, ("summary",), link=True)[0] == (
        (Inline("prose", "Call an endpoint through ``HttpHook``."),),
    )
    assert cells(CATALOG, archive, ("summary",), link=True)[0] == (
        (Inline("prose", "Archive a \\*table\\* to the \\| store."),),
    )


def test_empty_summary_is_a_dash() -> None:
    trigger = CATALOG.by_path()["airflow.providers.http.triggers.http.HttpTrigger"]
    assert cells(CATALOG, trigger, ("summary",), link=True) == (DASHED,)


def test_cells_static_note_needs_the_summary_column() -> None:
    """Without a summary column the static note has nowhere to go."""
    hook = CATALOG.by_path()["acme_platform.hooks.store.ObjectStoreHook"]
    assert cells(CATALOG, hook, ("name", "kind"), link=True)[1] == ((text("Hook"),),)


def test_cells_of_a_deprecated_component_without_links() -> None:
    """Deprecated names are flagged; ``link=False`` shows the name in bold."""
    legacy = CATALOG.by_path()["acme_platform.operators.archive.LegacyArchiveOperator"]
    assert cells(CATALOG, legacy, ("name", "summary", "deferrable"), link=False) == (
        (
            (
                Inline("strong", "LegacyArchiveOperator"),
                text(" "),
                Inline("emphasis", "(deprecated)"),
            ),
            (Inline("path", "acme_platform.operators.archive.LegacyArchiveOperator"),),
        ),
        ((Inline("prose", "Archive the old way."),),),
        ((text("no"),),),
    )


def test_cells_follow_the_column_order() -> None:
    """Cells come in the order the columns are asked for."""
    operator = CATALOG.by_path()["airflow.providers.http.operators.http.HttpOperator"]
    assert cells(CATALOG, operator, ("deferrable", "provider", "kind"), link=True) == (
        ((text("yes"),),),
        ((text("HTTP 6.3.0"),),),
        ((text("Operator"),),),
    )


def test_cells_provider_without_entry_is_the_owner() -> None:
    """An owner with no provider entry is shown by its name (and version)."""
    stray = Component("x.y.ZOperator", Kind.OPERATOR, "team_x", owner_version="0.1")
    assert cells(Catalog(components=(stray,)), stray, ("provider",), link=True) == (
        ((text("team_x 0.1"),),),
    )


def test_templated_cell() -> None:
    """Fields as literals, then the template file extensions; a dash when there are none."""
    archive = CATALOG.by_path()["acme_platform.operators.archive.ArchiveOperator"]
    assert templated_cell(archive) == (
        (literal("table"), text(", "), literal("sql")),
        (text("files: "), literal(".sql")),
    )
    only_ext = Component("a.B", Kind.OPERATOR, "a", template_ext=(".sh", ".bash"))
    assert templated_cell(only_ext) == (
        (text(DASH),),
        (text("files: "), literal(".sh"), text(", "), literal(".bash")),
    )
    assert templated_cell(Component("a.B", Kind.OPERATOR, "a")) == DASHED


def test_connection_cell() -> None:
    """The type, and the default connection id where the hook has one; else a dash."""
    hook = CATALOG.by_path()["airflow.providers.http.hooks.http.HttpHook"]
    assert connection_cell(hook) == (
        (literal("http"),),
        (text("default: "), literal("http_default")),
    )
    typed = Component("a.B", Kind.HOOK, "a", connection=Connection(conn_type="store"))
    assert connection_cell(typed) == ((literal("store"),),)
    untyped = CATALOG.by_path()["acme_platform.hooks.store.ObjectStoreHook"]
    assert connection_cell(untyped) == DASHED
    assert connection_cell(Component("a.B", Kind.HOOK, "a")) == DASHED


# --- the tables of a catalog ---------------------------------------------------------------


def test_one_untitled_table_by_default() -> None:
    """One table: name, kind, summary, provider; deprecated components left out."""
    shown = catalog_tables(CATALOG, Query())
    assert shown.titles == ("Name", "Kind", "Summary", "Provider")
    assert [table.title for table in shown.tables] == [""]
    assert [row.cells[1] for row in shown.tables[0].rows][:2] == [
        ((text("Operator"),),),
        ((text("Notifier"),),),
    ]
    assert len(shown.tables[0].rows) == len(select(CATALOG, Query()))


def test_a_table_per_group_with_its_rows_classes() -> None:
    """A titled table per group, in the groups' order; each row has its component's classes."""
    query = Query(columns=COLUMNS, group_by="provider", include_deprecated=True)
    shown = catalog_tables(CATALOG, query)
    assert shown.titles == tuple(COLUMN_TITLES[c] for c in COLUMNS)
    grouped = group(CATALOG, select(CATALOG, query), "provider")
    assert [table.title for table in shown.tables] == ["HTTP", "acme_platform"]
    for table, (_, members) in zip(shown.tables, grouped, strict=True):
        assert [row.classes for row in table.rows] == [
            tuple(row_classes(CATALOG, c)) for c in members
        ]


def test_nothing_selected_is_no_table() -> None:
    """A query that selects nothing has no table (the directive says so)."""
    assert catalog_tables(CATALOG, Query(match="Nothing*")).tables == ()


def test_what_a_catalog_shows_has_a_stable_repr() -> None:
    """Rebuilds compare digests of the ``repr``: the same data gives the same text."""
    query = Query(group_by="kind", include_deprecated=True)
    assert repr(catalog_tables(CATALOG, query)) == repr(catalog_tables(CATALOG, query))
    assert repr(catalog_tables(CATALOG, query)) != repr(catalog_tables(CATALOG, Query()))


# --- row classes (what the catalog filter reads) -----------------------------------------------


def test_row_classes_name_kind_owner_connection_and_flags() -> None:
    by_name = {c.name: c for c in CATALOG}
    assert row_classes(CATALOG, by_name["HttpOperator"]) == [
        "etl-row",
        "etl-kind-operator",
        "etl-owner-http",
        "etl-is-deferrable",
        "etl-is-templated",
    ]
    assert row_classes(CATALOG, by_name["HttpHook"]) == [
        "etl-row",
        "etl-kind-hook",
        "etl-owner-http",
        "etl-conn-http",
    ]
    assert row_classes(CATALOG, by_name["LegacyArchiveOperator"]) == [
        "etl-row",
        "etl-kind-operator",
        "etl-owner-acme-platform",
        "etl-is-in-house",
        "etl-is-deprecated",
    ]


def test_row_classes_of_an_unknown_owner_and_an_odd_connection_type_are_class_safe() -> None:
    odd = Component(
        "x.y.OddHook", Kind.HOOK, "Some_Team", connection=Connection(conn_type="Google Cloud_SQL")
    )
    assert row_classes(CATALOG, odd)[2:] == ["etl-owner-some-team", "etl-conn-google-cloud-sql"]
