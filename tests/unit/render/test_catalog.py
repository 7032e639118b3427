"""Catalog tables: which components a query selects, and the reST of the table."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from sphinxext_etl.directives.table import regular_rows
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
    COLUMNS,
    Query,
    cells,
    connection_cell,
    group,
    render,
    row_classes,
    select,
    table_rows,
    templated_cell,
)
from sphinxext_etl.render.text import DASH

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
    """A statically read component says so under its summary; its summary stays a paragraph."""
    hook = CATALOG.by_path()["acme_platform.hooks.store.ObjectStoreHook"]
    assert cells(CATALOG, hook, COLUMNS, link=True) == [
        [
            ":py:class:`ObjectStoreHook <acme_platform.hooks.store.ObjectStoreHook>`",
            "",
            ":etl-path:`acme_platform.hooks.store.ObjectStoreHook`",
        ],
        ["Hook"],
        [
            "Talk to the object store.",
            "",
            "*(introspected statically: its module did not import)*",
        ],
        ["acme_platform 1.2.0"],
        [DASH],
        ["no"],
        [DASH],
        [DASH],  # used in: no DAGs are scanned
    ]


def test_used_in_cell_counts_dags() -> None:
    """With a DAG scan, the cell counts the DAGs; without one, it is a dash."""
    hook = CATALOG.by_path()["acme_platform.hooks.store.ObjectStoreHook"]
    assert cells(CATALOG, hook, ("used_in",), link=True, used_in={hook.path: 2}) == [["2 DAGs"]]
    assert cells(CATALOG, hook, ("used_in",), link=True, used_in={hook.path: 1}) == [["1 DAG"]]
    assert cells(CATALOG, hook, ("used_in",), link=True, used_in={}) == [["0 DAGs"]]


@pytest.mark.parametrize("summary", ["- Talk to the store.", "1. Talk to the store."])
def test_summary_cell_stays_a_paragraph(summary: str) -> None:
    """A summary that reads like a list item is still one paragraph in its cell."""
    component = Component("a.b.StoreHook", Kind.HOOK, "a", summary=summary)
    assert cells(Catalog(components=(component,)), component, ("summary",), link=True) == [
        ["\\" + summary]
    ]


def test_cells_static_note_needs_the_summary_column() -> None:
    """Without a summary column the static note has nowhere to go."""
    hook = CATALOG.by_path()["acme_platform.hooks.store.ObjectStoreHook"]
    assert cells(CATALOG, hook, ("name", "kind"), link=True)[1] == ["Hook"]


def test_cells_of_a_deprecated_component_without_links() -> None:
    """Deprecated names are flagged; ``link=False`` shows the name in bold."""
    legacy = CATALOG.by_path()["acme_platform.operators.archive.LegacyArchiveOperator"]
    assert cells(CATALOG, legacy, ("name", "summary", "deferrable"), link=False) == [
        [
            "**LegacyArchiveOperator** *(deprecated)*",
            "",
            ":etl-path:`acme_platform.operators.archive.LegacyArchiveOperator`",
        ],
        ["Archive the old way."],
        ["no"],
    ]


def test_cells_follow_the_column_order() -> None:
    """Cells come in the order the columns are asked for."""
    operator = CATALOG.by_path()["airflow.providers.http.operators.http.HttpOperator"]
    assert cells(CATALOG, operator, ("deferrable", "provider", "kind"), link=True) == [
        ["yes"],
        ["HTTP 6.3.0"],
        ["Operator"],
    ]


def test_cells_provider_without_entry_is_the_owner() -> None:
    """An owner with no provider entry is shown by its name (and version)."""
    stray = Component("x.y.ZOperator", Kind.OPERATOR, "team_x", owner_version="0.1")
    assert cells(Catalog(components=(stray,)), stray, ("provider",), link=True) == [["team_x 0.1"]]


def test_templated_cell() -> None:
    """Fields as literals, then the template file extensions; a dash when there are none."""
    archive = CATALOG.by_path()["acme_platform.operators.archive.ArchiveOperator"]
    assert templated_cell(archive) == ["``table``, ``sql``", "", "files: ``.sql``"]
    only_ext = Component("a.B", Kind.OPERATOR, "a", template_ext=(".sh", ".bash"))
    assert templated_cell(only_ext) == [DASH, "", "files: ``.sh``, ``.bash``"]
    assert templated_cell(Component("a.B", Kind.OPERATOR, "a")) == [DASH]


def test_connection_cell() -> None:
    """The type, and the default connection id where the hook has one; else a dash."""
    hook = CATALOG.by_path()["airflow.providers.http.hooks.http.HttpHook"]
    assert connection_cell(hook) == ["``http``", "", "default: ``http_default``"]
    typed = Component("a.B", Kind.HOOK, "a", connection=Connection(conn_type="store"))
    assert connection_cell(typed) == ["``store``"]
    untyped = CATALOG.by_path()["acme_platform.hooks.store.ObjectStoreHook"]
    assert connection_cell(untyped) == [DASH]
    assert connection_cell(Component("a.B", Kind.HOOK, "a")) == [DASH]


# --- render (snapshots) --------------------------------------------------------------------


def test_render_default_query(file_regression: Any) -> None:
    """One table: name, kind, summary, provider; deprecated components left out."""
    file_regression.check(render(CATALOG, Query()), extension=".rst")


def test_render_grouped_by_provider_with_extra_columns(file_regression: Any) -> None:
    """A rubric per provider; templated fields, deferrable and connection type columns."""
    query = Query(
        columns=("name", "kind", "templated", "deferrable", "conn_type"),
        group_by="provider",
        include_deprecated=True,
    )
    file_regression.check(render(CATALOG, query), extension=".rst")


def test_render_grouped_by_kind_without_links(file_regression: Any) -> None:
    """A rubric per kind, bold names instead of references."""
    query = Query(packages=("acme_platform",), group_by="kind", link=False)
    file_regression.check(render(CATALOG, query), extension=".rst")


def test_render_nothing_selected() -> None:
    """A query that selects nothing says so, and renders no table."""
    text = render(CATALOG, Query(match="Nothing*"))
    assert text.strip() == "*No components match this catalog's filters.*"


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


def test_table_rows_follow_the_groups() -> None:
    """The rows in the order the tables show them: group by group, sorted within each."""
    query = Query(group_by="kind", include_deprecated=True)
    grouped = [c for _, members in group(CATALOG, select(CATALOG, query), "kind") for c in members]
    assert table_rows(CATALOG, query) == grouped
    assert names(table_rows(CATALOG, query))[:2] == ["HttpHook", "ObjectStoreHook"]


@pytest.mark.parametrize(
    "query",
    [
        Query(),
        Query(columns=COLUMNS, group_by="provider", include_deprecated=True),
        Query(packages=("acme_platform",), group_by="kind", link=False),
    ],
)
def test_every_table_is_one_etl_list_table_reads_without_nested_parsing(query: Query) -> None:
    """The catalog template writes the shape ``etl-list-table`` reads directly."""
    lines = render(CATALOG, query).splitlines()
    tables = [i for i, line in enumerate(lines) if line == ".. etl-list-table::"]
    assert tables
    for start in tables:
        body = itertools.takewhile(
            lambda line: not line or line.startswith("   "), lines[start + 1 :]
        )
        content = [line[3:] for line in body if not line.startswith("   :")]
        assert regular_rows(content[1:]) is not None
