"""The ``operator-catalog`` directive: a filtered, grouped table of components, re-read when
the table it rendered would now come out differently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.build.data import DocRecords, data_of, digest
from sphinxext_etl.build.options import (
    columns_option,
    glob_option,
    kinds_option,
    non_empty_list,
)
from sphinxext_etl.config import etl_config
from sphinxext_etl.model import Catalog, names_owner
from sphinxext_etl.render.catalog import (
    DEFAULT_COLUMNS,
    GROUPS,
    SORT_KEYS,
    Query,
    render,
    row_classes,
    table_rows,
)
from sphinxext_etl.render.dags import uses_by_component

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


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
        text, classes = rendered(catalog, query, self.env)
        renders = RENDERS.of(self.env).setdefault(self.env.docname, {})
        renders[query.key()] = Rendered(data_of(self.env).inputs_key, digest(text + repr(classes)))
        container = nodes.container(classes=["etl-catalog"])
        self.set_source_info(container)
        container += self.parse_text_to_nodes(text)
        label_rows(container, classes)
        return [container]


def rendered(catalog: Catalog, query: Query, env: BuildEnvironment) -> tuple[str, list[list[str]]]:
    """A catalog's reST and the classes of its body rows, in order: both decide the page."""
    text = render(catalog, query, data_of(env).template_path, used_in(env))
    return text, [row_classes(catalog, c) for c in table_rows(catalog, query)]


def label_rows(container: nodes.Element, classes: list[list[str]]) -> None:
    """Give each body row of the catalog's tables its component's classes (the HTML writer
    puts them on the ``<tr>``, where the filter reads them). A site template that renders
    other rows than one per component gets none."""
    rows = [
        row
        for table in container.findall(nodes.table)
        if "etl-catalog-table" in table["classes"]
        for body in table.findall(nodes.tbody)
        for row in body.children
        if isinstance(row, nodes.row)
    ]
    if len(rows) != len(classes):
        return
    for row, names in zip(rows, classes, strict=True):
        row["classes"].extend(names)


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
    digest of what it rendered."""

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
        text, classes = rendered(catalog, Query.from_key(key), env)
        if digest(text + repr(classes)) != old.digest:
            return True
    return False


#: ``docname -> {query key -> what it rendered}``.
RENDERS: DocRecords[dict[str, Rendered]] = DocRecords("catalog_renders", _catalog_changed)
