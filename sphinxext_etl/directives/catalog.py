"""The ``operator-catalog`` directive: a filtered, grouped table of components, re-read when
the table it rendered would now come out differently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.build.data import DocRecords, data_of, digest, stable_text
from sphinxext_etl.build.options import (
    columns_option,
    glob_option,
    kinds_option,
    non_empty_list,
)
from sphinxext_etl.build.roles import dotted_path
from sphinxext_etl.config import etl_config
from sphinxext_etl.directives.tables import data_table, table_row
from sphinxext_etl.model import Catalog, names_owner
from sphinxext_etl.render.catalog import (
    DEFAULT_COLUMNS,
    GROUPS,
    SORT_KEYS,
    CatalogTables,
    Inline,
    Paragraph,
    Query,
    catalog_tables,
)
from sphinxext_etl.render.dags import uses_by_component

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: The node of each :class:`~sphinxext_etl.render.catalog.Inline` style that is one node of
#: its text (``text`` is a Text node; ``prose`` is parsed; ``class`` is a reference).
STYLED: dict[str, type[nodes.TextElement]] = {
    "literal": nodes.literal,
    "emphasis": nodes.emphasis,
    "strong": nodes.strong,
    "path": dotted_path,
}


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
        providers = [p for p in catalog.providers if not p.in_house]
        for name in query.providers:
            if not any(names_owner(name, p.names) for p in catalog.providers):
                logger.warning(
                    "operator-catalog: no provider %r in this build (known: %s)",
                    name,
                    ", ".join(sorted(p.name for p in providers)) or "none",
                    location=self.get_location(),
                    type="etl",
                    subtype="option",
                )
        for name in query.packages:
            if not any(names_owner(name, p.names) for p in catalog.providers):
                logger.warning(
                    "operator-catalog: no in-house package %r in this build (see etl_packages)",
                    name,
                    location=self.get_location(),
                    type="etl",
                    subtype="option",
                )

    def run(self) -> list[nodes.Node]:
        catalog = data_of(self.env).catalog
        query = self.query()
        self.warn_unknown_owners(catalog, query)
        shown = catalog_tables(catalog, query, used_in(self.env))
        renders = RENDERS.of(self.env).setdefault(self.env.docname, {})
        renders[query.key()] = Rendered(data_of(self.env).inputs_key, digest(stable_text(shown)))
        container = nodes.container(classes=["etl-catalog"])
        self.set_source_info(container)
        self.messages: list[nodes.system_message] = []
        container += self.catalog_nodes(shown)
        return [container, *self.messages]

    def catalog_nodes(self, shown: CatalogTables) -> list[nodes.Element]:
        """A rubric and a table per group; a sentence when nothing matches."""
        if not shown.tables:
            nothing = "No components match this catalog's filters."
            return [nodes.paragraph("", "", nodes.emphasis(nothing, nothing))]
        found: list[nodes.Element] = []
        widths = [100 // len(shown.titles)] * len(shown.titles)
        for table in shown.tables:
            if table.title:
                found.append(nodes.rubric(table.title, table.title))
            rows = (
                table_row((list(map(self.paragraph, cell)) for cell in row.cells), row.classes)
                for row in table.rows
            )
            found.append(data_table(["etl-catalog-table"], widths, shown.titles, rows))
        return found

    def paragraph(self, pieces: Paragraph) -> nodes.paragraph:
        return nodes.paragraph("", "", *(node for piece in pieces for node in self.inline(piece)))

    def inline(self, piece: Inline) -> list[nodes.Node]:
        """The nodes of one piece of a cell: only docstring prose is parsed."""
        text = piece.text
        if piece.style == "prose":
            children, problems = self.parse_inline(text)
            self.messages.extend(problems)
            return children
        if piece.style == "class":
            return [self.class_reference(text, piece.target)]
        styled = STYLED.get(piece.style)
        return [styled(text, text) if styled else nodes.Text(text)]

    def class_reference(self, title: str, path: str) -> addnodes.pending_xref:
        """What ``:py:class:`title <path>``` gives here."""
        xref = addnodes.pending_xref(
            "",
            refdoc=self.env.docname,
            refdomain="py",
            reftype="class",
            refexplicit=True,
            refwarn=False,
            reftarget=path,
        )
        xref["py:module"] = self.env.ref_context.get("py:module")
        xref["py:class"] = self.env.ref_context.get("py:class")
        xref += nodes.literal(title, title, classes=["xref", "py", "py-class"])
        return xref


def used_in(env: BuildEnvironment) -> dict[str, int] | None:
    """``component path -> number of DAGs using it``; None when no DAGs are scanned."""
    scan = data_of(env).dag_scan
    if scan is None:
        return None
    uses = uses_by_component(scan, data_of(env).catalog)
    return {path: len({(d.file, d.dag_id) for d, _ in found}) for path, found in uses.items()}


# --- incremental and parallel builds ----------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """What a catalog rendered from (the build's ``inputs_key``, besides its query) and a
    digest of what it showed (its :class:`CatalogTables`)."""

    inputs: str
    digest: str


def _catalog_changed(env: BuildEnvironment, queries: dict[str, Rendered]) -> bool:
    """Whether any catalog a page rendered would now differ: rendered again unless it comes
    from the same inputs."""
    catalog = data_of(env).catalog
    inputs = data_of(env).inputs_key
    for key, old in queries.items():
        if inputs and old.inputs == inputs:
            continue
        shown = catalog_tables(catalog, Query.from_key(key), used_in(env))
        if digest(stable_text(shown)) != old.digest:
            return True
    return False


#: ``docname -> {query key -> what it rendered}``.
RENDERS: DocRecords[dict[str, Rendered]] = DocRecords("catalog_renders", _catalog_changed)
