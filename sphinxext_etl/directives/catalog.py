"""The ``operator-catalog`` directive: a filtered, grouped table of components, re-read when
the table it rendered would now come out differently."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinxext_etl.build.data import data_of, stable_text
from sphinxext_etl.build.inline import data_table, table_row
from sphinxext_etl.build.options import (
    columns_option,
    glob_option,
    kinds_option,
    non_empty_list,
)
from sphinxext_etl.config import etl_config
from sphinxext_etl.directives.tables import CatalogDirective, Renders, inline_nodes, nothing_matches
from sphinxext_etl.model import Catalog, names_owner
from sphinxext_etl.render.catalog import (
    DEFAULT_COLUMNS,
    GROUPS,
    SORT_KEYS,
    CatalogTables,
    Paragraph,
    Query,
    catalog_tables,
)
from sphinxext_etl.render.dags import uses_by_component

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


class OperatorCatalog(CatalogDirective):
    """``.. operator-catalog::`` renders a table of the components that match its options."""

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
        def unknown(name: str) -> bool:
            return not any(names_owner(name, p.names) for p in catalog.providers)

        known = ", ".join(sorted(p.name for p in catalog.providers if not p.in_house))
        for name in filter(unknown, query.providers):
            self.warn("no provider %r in this build (known: %s)", name, known or "none")
        for name in filter(unknown, query.packages):
            self.warn("no in-house package %r in this build (see etl_packages)", name)

    def run(self) -> list[nodes.Node]:
        catalog = data_of(self.env).catalog
        query = self.query()
        self.warn_unknown_owners(catalog, query)
        shown = catalog_tables(catalog, query, used_in(self.env))
        RENDERS.note(self.env, query.key(), stable_text(shown))
        self.messages: list[nodes.system_message] = []
        return [self.container(self.catalog_nodes(shown)), *self.messages]

    def catalog_nodes(self, shown: CatalogTables) -> list[nodes.Element]:
        """A rubric and a table per group; a sentence when nothing matches."""
        if not shown.tables:
            return [nothing_matches("components")]
        found: list[nodes.Element] = []
        widths = [100 // len(shown.titles)] * len(shown.titles)
        for table in shown.tables:
            if table.title:
                found.append(nodes.rubric(table.title, table.title))
            rows = (
                table_row(([self.paragraph(p) for p in cell] for cell in row.cells), row.classes)
                for row in table.rows
            )
            found.append(data_table(["etl-catalog-table"], widths, shown.titles, rows))
        return found

    def paragraph(self, pieces: Paragraph) -> nodes.paragraph:
        return nodes.paragraph("", "", *inline_nodes(self, pieces, self.messages))


def used_in(env: BuildEnvironment) -> dict[str, int] | None:
    """``component path -> number of DAGs using it``; None when no DAGs are scanned."""
    scan = data_of(env).dag_scan
    if scan is None:
        return None
    uses = uses_by_component(scan, data_of(env).catalog)
    return {path: len({(d.file, d.dag_id) for d, _ in found}) for path, found in uses.items()}


def _remade(env: BuildEnvironment, key: str) -> str:
    shown = catalog_tables(data_of(env).catalog, Query.from_key(key), used_in(env))
    return stable_text(shown)


#: ``docname -> {query key -> (inputs, digest of its tables)}``.
RENDERS = Renders("catalog_renders", _remade)
