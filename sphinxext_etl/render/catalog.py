"""Catalog tables: which components a query selects, and the reST of the table (a pure
function of the catalog and the query; the directive is in :mod:`sphinxext_etl.directives`)."""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sphinxext_etl.model import Catalog, Component, canonical_name
from sphinxext_etl.render import jinja
from sphinxext_etl.render.text import DASH, literal, plain

COLUMNS = (
    "name",
    "kind",
    "summary",
    "provider",
    "templated",
    "deferrable",
    "conn_type",
    "used_in",
)
DEFAULT_COLUMNS = ("name", "kind", "summary", "provider")
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
    named: set[str] = set()
    for owner in {component.owner for component in catalog}:
        provider = catalog.provider(owner)
        names = provider.names if provider else frozenset({canonical_name(owner)})
        if names & wanted:
            named.add(owner)
    return frozenset(named)


def select(catalog: Catalog, query: Query) -> list[Component]:
    """The components a query selects, sorted."""
    chosen: list[Component] = []
    tokens = (*query.providers, *query.packages)
    owners = _owners_named(catalog, tokens) if tokens else frozenset()
    for component in catalog:
        if query.kinds and component.kind.value not in query.kinds:
            continue
        if tokens and component.owner not in owners:
            continue
        if query.match and not (
            fnmatch.fnmatchcase(component.name, query.match)
            or fnmatch.fnmatchcase(component.path, query.match)
        ):
            continue
        if component.deprecated and not query.include_deprecated:
            continue
        chosen.append(component)
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


def table_rows(catalog: Catalog, query: Query) -> list[Component]:
    """The components of a catalog's body rows, in order, across its tables."""
    groups = group(catalog, select(catalog, query), query.group_by)
    return [component for _, members in groups for component in members]


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


def cells(
    catalog: Catalog,
    component: Component,
    columns: Iterable[str],
    link: bool,
    used_in: Mapping[str, int] | None = None,
) -> list[list[str]]:
    """The reST lines of each cell of one row."""
    provider = catalog.provider(component.owner)
    name = f":py:class:`{component.name} <{component.path}>`" if link else f"**{component.name}**"
    if component.deprecated:
        name += " *(deprecated)*"
    values: dict[str, list[str]] = {
        "name": [name, "", f":etl-path:`{component.path}`"],
        "kind": [component.kind.label],
        "summary": [plain(component.summary) or DASH],
        "provider": [
            " ".join(
                filter(
                    None,
                    [
                        provider.display_name if provider else component.owner,
                        component.owner_version,
                    ],
                )
            )
        ],
        "templated": templated_cell(component),
        "deferrable": ["yes" if component.deferrable else "no"],
        "conn_type": connection_cell(component),
        "used_in": [used_in_cell(component, used_in)],
    }
    if component.static and "summary" in columns:
        values["summary"].extend(["", "*(introspected statically: its module did not import)*"])
    return [values[c] for c in columns]


def templated_cell(component: Component) -> list[str]:
    """Templated fields, then the file extensions Airflow renders as templates."""
    lines = [", ".join(map(literal, component.template_fields)) or DASH]
    if component.template_ext:
        extensions = ", ".join(map(literal, component.template_ext))
        lines += ["", f"files: {extensions}"]
    return lines


def connection_cell(component: Component) -> list[str]:
    """Connection type, and the connection id the hook uses by default."""
    connection = component.connection
    if connection is None or not connection.conn_type:
        return [DASH]
    lines = [literal(connection.conn_type)]
    if connection.default_conn_name:
        lines += ["", f"default: {literal(connection.default_conn_name)}"]
    return lines


def used_in_cell(component: Component, used_in: Mapping[str, int] | None) -> str:
    """How many DAGs use the component (a dash where no DAGs are scanned)."""
    if used_in is None:
        return DASH
    count = used_in.get(component.path, 0)
    return f"{count} DAG" + ("" if count == 1 else "s")


def render(
    catalog: Catalog,
    query: Query,
    search_path: tuple[str, ...] = (),
    used_in: Mapping[str, int] | None = None,
) -> str:
    """The reST for one catalog: a pure function of the catalog and the query."""
    components = select(catalog, query)
    template = jinja.environment(search_path).get_template("catalog.rst.jinja")
    return template.render(
        groups=[
            (title, [cells(catalog, c, query.columns, query.link, used_in) for c in members])
            for title, members in group(catalog, components, query.group_by)
        ],
        titles=[COLUMN_TITLES[c] for c in query.columns],
        count=len(components),
    )
