"""The ``operator-catalog`` directive: a filtered, grouped table of components."""

from __future__ import annotations

import dataclasses
import fnmatch
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl import templating
from sphinxext_etl.config import etl_config
from sphinxext_etl.docrecords import DocRecords, digest
from sphinxext_etl.model import PROVIDER_PREFIX, Catalog, Component, Kind
from sphinxext_etl.pipeline import catalog_of

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

COLUMNS = ("name", "kind", "summary", "provider", "templated", "deferrable", "conn_type")
DEFAULT_COLUMNS = ("name", "kind", "summary", "provider")
COLUMN_TITLES = {
    "name": "Name",
    "kind": "Kind",
    "summary": "Summary",
    "provider": "Provider",
    "templated": "Templated fields",
    "deferrable": "Deferrable",
    "conn_type": "Connection type",
}
SORT_KEYS: dict[str, Callable[[Component], tuple[str, ...]]] = {
    "name": lambda c: (c.name.lower(), c.path),
    "path": lambda c: (c.path,),
    "kind": lambda c: (c.kind.value, c.name.lower(), c.path),
    "provider": lambda c: (c.owner, c.name.lower(), c.path),
}
GROUPS = ("none", "provider", "kind")


def comma_list(argument: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (argument or "").split(",") if part.strip())


def kinds_option(argument: str | None) -> tuple[str, ...]:
    """``operator, sensors`` -> ``("operator", "sensor")``; unknown kinds are an error."""
    chosen: list[str] = []
    for part in comma_list(argument):
        value = part.lower().removesuffix("s") if part.lower() != "s" else part
        if value not in {k.value for k in Kind}:
            raise ValueError(
                f"unknown kind {part!r}; choose from {', '.join(k.value for k in Kind)}"
            )
        chosen.append(value)
    if not chosen:
        raise ValueError("give at least one kind")
    return tuple(chosen)


def columns_option(argument: str | None) -> tuple[str, ...]:
    chosen = tuple(part.lower() for part in comma_list(argument))
    unknown = [c for c in chosen if c not in COLUMNS]
    if unknown or not chosen:
        raise ValueError(
            f"unknown column(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(COLUMNS)}"
        )
    return chosen


def non_empty_list(argument: str | None) -> tuple[str, ...]:
    values = comma_list(argument)
    if not values:
        raise ValueError("give at least one name")
    return values


def glob_option(argument: str | None) -> str:
    if not argument or not argument.strip():
        raise ValueError("give a glob, such as *Postgres*")
    return argument.strip()


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


def _owner_matches(component: Component, providers: Iterable[str], packages: Iterable[str]) -> bool:
    names = {p.lower() for p in providers}
    names |= {PROVIDER_PREFIX + p for p in names}
    return component.owner.lower() in names or component.owner in set(packages)


def select(catalog: Catalog, query: Query) -> list[Component]:
    """The components a query selects, sorted."""
    chosen: list[Component] = []
    for component in catalog:
        if query.kinds and component.kind.value not in query.kinds:
            continue
        if (query.providers or query.packages) and not _owner_matches(
            component, query.providers, query.packages
        ):
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


def cells(
    catalog: Catalog, component: Component, columns: Iterable[str], link: bool
) -> list[list[str]]:
    """The reST lines of each cell of one row."""
    provider = catalog.provider(component.owner)
    name = f":py:class:`{component.name} <{component.path}>`" if link else f"**{component.name}**"
    if component.deprecated:
        name += " *(deprecated)*"
    values: dict[str, list[str]] = {
        "name": [name, "", templating.literal(component.path)],
        "kind": [component.kind.label],
        "summary": [templating.plain(component.summary) or "\u2014"],
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
    }
    if component.static and "summary" in columns:
        values["summary"].extend(["", "*(introspected statically: its module did not import)*"])
    return [values[c] for c in columns]


def templated_cell(component: Component) -> list[str]:
    """Templated fields, then the file extensions Airflow renders as templates."""
    lines = [", ".join(map(templating.literal, component.template_fields)) or "\u2014"]
    if component.template_ext:
        extensions = ", ".join(map(templating.literal, component.template_ext))
        lines += ["", f"files: {extensions}"]
    return lines


def connection_cell(component: Component) -> list[str]:
    """Connection type, and the connection id the hook uses by default."""
    connection = component.connection
    if connection is None or not connection.conn_type:
        return ["\u2014"]
    lines = [templating.literal(connection.conn_type)]
    if connection.default_conn_name:
        lines += ["", f"default: {templating.literal(connection.default_conn_name)}"]
    return lines


def render(catalog: Catalog, query: Query, search_path: tuple[str, ...] = ()) -> str:
    """The reST for one catalog: a pure function of the catalog and the query."""
    components = select(catalog, query)
    template = templating.environment(search_path).get_template("catalog.rst.jinja")
    return template.render(
        groups=[
            (title, [cells(catalog, c, query.columns, query.link) for c in members])
            for title, members in group(catalog, components, query.group_by)
        ],
        titles=[COLUMN_TITLES[c] for c in query.columns],
        count=len(components),
    )


class OperatorCatalog(SphinxDirective):
    """``.. operator-catalog::`` renders a table of the components that match its options."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "kinds": kinds_option,
        "providers": non_empty_list,
        "packages": non_empty_list,
        "match": glob_option,
        "columns": columns_option,
        "include-deprecated": directives.flag,
        "sort": lambda a: directives.choice(a, tuple(SORT_KEYS)),
        "group-by": lambda a: directives.choice(a, GROUPS),
    }

    def query(self) -> Query:
        return Query(
            kinds=self.options.get("kinds", ()),
            providers=self.options.get("providers", ()),
            packages=self.options.get("packages", ()),
            match=self.options.get("match", ""),
            columns=self.options.get("columns", DEFAULT_COLUMNS),
            include_deprecated="include-deprecated" in self.options,
            sort=self.options.get("sort", "name"),
            group_by=self.options.get("group-by", "none"),
            link=etl_config(self.config).generate_reference,
        )

    def warn_unknown_owners(self, catalog: Catalog, query: Query) -> None:
        known = {p.name.lower() for p in catalog.providers}
        for name in query.providers:
            if name.lower() not in known and PROVIDER_PREFIX + name.lower() not in known:
                logger.warning(
                    "operator-catalog: no provider %r in this build (known: %s)",
                    name,
                    ", ".join(sorted(p.name for p in catalog.providers if not p.in_house))
                    or "none",
                    location=self.get_location(),
                    type="etl",
                    subtype="option",
                )
        for name in query.packages:
            if name not in known:
                logger.warning(
                    "operator-catalog: no in-house package %r in this build (see etl_packages)",
                    name,
                    location=self.get_location(),
                    type="etl",
                    subtype="option",
                )

    def run(self) -> list[nodes.Node]:
        catalog = catalog_of(self.env)
        query = self.query()
        self.warn_unknown_owners(catalog, query)
        text = render(catalog, query, search_path(self.env))
        renders = RENDERS.of(self.env).setdefault(self.env.docname, {})
        renders[query.key()] = digest(text)
        container = nodes.container(classes=["etl-catalog"])
        self.set_source_info(container)
        container += self.parse_text_to_nodes(text)
        return [container]


def search_path(env: BuildEnvironment) -> tuple[str, ...]:
    """The site's template folders, resolved at ``builder-inited`` (the env has no confdir)."""
    return getattr(env, "etl_template_path", ())


# --- incremental and parallel builds ----------------------------------------------------------


def _catalog_changed(env: BuildEnvironment, queries: dict[str, str]) -> bool:
    """Whether any catalog a page rendered (``query key -> digest``) would now differ."""
    catalog, path = catalog_of(env), search_path(env)
    return any(
        digest(render(catalog, Query.from_key(key), path)) != old for key, old in queries.items()
    )


#: ``docname -> {query key -> digest of the reST it rendered}``.
RENDERS: DocRecords[dict[str, str]] = DocRecords("etl_catalog_renders", _catalog_changed)
outdated_docs = RENDERS.outdated_docs
purge_doc = RENDERS.purge_doc
merge_info = RENDERS.merge_info
