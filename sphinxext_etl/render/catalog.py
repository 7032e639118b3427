"""Catalog tables: which components a query selects, and what each row shows, as data (a pure
function of the catalog and the query; :mod:`sphinxext_etl.directives.catalog` builds the
nodes)."""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sphinxext_etl.model import Catalog, Component, canonical_name
from sphinxext_etl.render.text import DASH, Inline, Piece, code, listed, plain

COLUMN_TITLES = {
    "name": "Name",
    "kind": "Kind",
    "summary": "Summary",
    "provider": "Provider",
    "templated": "Templated fields",
    "deferrable": "Deferrable",
    "conn_type": "Connection type",
    "used_in": "Used in",
}
COLUMNS = tuple(COLUMN_TITLES)
DEFAULT_COLUMNS = ("name", "kind", "summary", "provider")
SORT_KEYS: dict[str, Callable[[Component], tuple[str, ...]]] = {
    "name": lambda c: (c.name.lower(), c.path),
    "path": lambda c: (c.path,),
    "kind": lambda c: (c.kind.value, c.name.lower(), c.path),
    "provider": lambda c: (c.owner, c.name.lower(), c.path),
}
GROUPS = ("none", "provider", "kind")


@dataclass(frozen=True)
class Query:
    """What one ``operator-catalog`` asks for; JSON-able so rebuilds can replay it."""

    kinds: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    match: str = ""
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    include_deprecated: bool = False
    sort: str = "name"
    group_by: str = "none"
    link: bool = True

    def key(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_key(cls, key: str) -> Query:
        data: dict[str, Any] = json.loads(key)
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in data.items()
        }
        return cls(**values)


def _owners_named(catalog: Catalog, tokens: Iterable[str]) -> frozenset[str]:
    """The owners (``Component.owner``) that any of a query's ``tokens`` names: resolved once
    per catalog, not once per component (a 98-provider site has 100 catalogs of 1,800 rows)."""
    wanted = {canonical_name(token) for token in tokens}

    def names(owner: str) -> frozenset[str]:
        provider = catalog.provider(owner)
        return provider.names if provider else frozenset({canonical_name(owner)})

    return frozenset(owner for owner in {c.owner for c in catalog} if names(owner) & wanted)


def select(catalog: Catalog, query: Query) -> list[Component]:
    """The components a query selects, sorted."""
    tokens = (*query.providers, *query.packages)
    owners = _owners_named(catalog, tokens) if tokens else frozenset()
    chosen = (
        c
        for c in catalog
        if (not query.kinds or c.kind.value in query.kinds)
        and (not tokens or c.owner in owners)
        and (
            not query.match
            or fnmatch.fnmatchcase(c.name, query.match)
            or fnmatch.fnmatchcase(c.path, query.match)
        )
        and (query.include_deprecated or not c.deprecated)
    )
    return sorted(chosen, key=SORT_KEYS[query.sort])


def group(
    catalog: Catalog, components: list[Component], by: str
) -> list[tuple[str, list[Component]]]:
    if by == "none":
        return [("", components)]
    groups: dict[str, list[Component]] = {}
    for component in components:
        if by == "kind":
            title = component.kind.plural
        else:
            provider = catalog.provider(component.owner)
            title = provider.display_name if provider else component.owner
        groups.setdefault(title, []).append(component)
    return sorted(groups.items())


def class_token(text: str) -> str:
    """``text`` as part of a class name: lower case, runs of anything else as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def row_classes(catalog: Catalog, component: Component) -> list[str]:
    """The classes of a component's table row, which the catalog filter reads: ``etl-row``,
    its kind, owner and connection type, and ``etl-is-<flag>`` for each flag it has."""
    provider = catalog.provider(component.owner)
    owner = provider.slug if provider else component.owner
    classes = ["etl-row", f"etl-kind-{component.kind.value}", f"etl-owner-{class_token(owner)}"]
    flags = {
        "deferrable": component.deferrable,
        "templated": bool(component.template_fields),
        "in-house": component.in_house,
        "deprecated": component.deprecated,
    }
    classes.extend(f"etl-is-{flag}" for flag, present in flags.items() if present)
    if component.conn_type:
        classes.append(f"etl-conn-{class_token(component.conn_type)}")
    return classes


# --- the table's content: data the directive builds nodes from ---------------------------------

#: A cell is paragraphs; a paragraph, pieces.
Paragraph = tuple[Piece, ...]
Cell = tuple[Paragraph, ...]


@dataclass(frozen=True)
class Row:
    """A component's row: the classes the catalog filter reads, and a cell per column."""

    classes: tuple[str, ...]
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """One table of a catalog, under its group's title (``""``: no title)."""

    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class CatalogTables:
    """What one catalog shows: column titles, and a table per group that has rows (none:
    nothing matches), the data that rebuilds fingerprint."""

    titles: tuple[str, ...]
    tables: tuple[Table, ...]


def name_cell(component: Component, link: bool) -> Cell:
    """The name (a reference to its class, or bold), flagged if deprecated; its import path."""
    name = (
        Inline("class", component.name, component.path)
        if link
        else Inline("strong", component.name)
    )
    deprecated = (" ", Inline("emphasis", "(deprecated)")) if component.deprecated else ()
    return ((name, *deprecated), (Inline("path", component.path),))


def summary_cell(component: Component) -> Cell:
    """The docstring's summary, and a note when the class was read statically."""
    summary = plain(component.summary)
    cell: Cell = ((Inline("prose", summary) if summary else DASH,),)
    if component.static:
        note = Inline("emphasis", "(introspected statically: its module did not import)")
        cell += ((note,),)
    return cell


def provider_cell(catalog: Catalog, component: Component) -> Cell:
    provider = catalog.provider(component.owner)
    name = provider.display_name if provider else component.owner
    return ((" ".join(filter(None, [name, component.owner_version])),),)


def templated_cell(component: Component) -> Cell:
    """Templated fields, then the file extensions Airflow renders as templates."""
    cell: Cell = (listed(([code(f)] for f in component.template_fields), DASH),)
    if component.template_ext:
        cell += (("files: ", *listed([code(e)] for e in component.template_ext)),)
    return cell


def connection_cell(component: Component) -> Cell:
    """Connection type, and the connection id the hook uses by default."""
    connection = component.connection
    if connection is None or not connection.conn_type:
        return ((DASH,),)
    cell: Cell = ((code(connection.conn_type),),)
    if connection.default_conn_name:
        cell += (("default: ", code(connection.default_conn_name)),)
    return cell


def used_in_cell(component: Component, used_in: Mapping[str, int] | None) -> Cell:
    """How many DAGs use the component (a dash where no DAGs are scanned)."""
    if used_in is None:
        return ((DASH,),)
    count = used_in.get(component.path, 0)
    return ((f"{count} DAG" + ("" if count == 1 else "s"),),)


def cells(
    catalog: Catalog,
    component: Component,
    columns: Iterable[str],
    link: bool,
    used_in: Mapping[str, int] | None = None,
) -> tuple[Cell, ...]:
    """The cells of one row, in the order of ``columns``."""
    makers: dict[str, Callable[[], Cell]] = {
        "name": lambda: name_cell(component, link),
        "kind": lambda: ((component.kind.label,),),
        "summary": lambda: summary_cell(component),
        "provider": lambda: provider_cell(catalog, component),
        "templated": lambda: templated_cell(component),
        "deferrable": lambda: (("yes" if component.deferrable else "no",),),
        "conn_type": lambda: connection_cell(component),
        "used_in": lambda: used_in_cell(component, used_in),
    }
    return tuple(makers[column]() for column in columns)


def catalog_tables(
    catalog: Catalog, query: Query, used_in: Mapping[str, int] | None = None
) -> CatalogTables:
    """What one catalog shows: a pure function of the catalog, the query and the DAGs'
    use of each component (``None``: no DAGs are scanned)."""
    groups = group(catalog, select(catalog, query), query.group_by)
    tables = tuple(
        Table(
            title,
            tuple(
                Row(
                    tuple(row_classes(catalog, c)),
                    cells(catalog, c, query.columns, query.link, used_in),
                )
                for c in members
            ),
        )
        for title, members in groups
        if members
    )
    return CatalogTables(tuple(COLUMN_TITLES[c] for c in query.columns), tables)
