"""The ``dag-catalog`` directive: the platform's DAGs as a table that filters in place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from sphinxext_etl.build.data import data_of
from sphinxext_etl.build.inline import data_table, joined, table_row
from sphinxext_etl.build.options import comma_list, non_empty_list
from sphinxext_etl.build.roles import badge, breakable, breakable_literal
from sphinxext_etl.config import etl_config
from sphinxext_etl.directives.tables import CatalogDirective, Renders, nothing_matches
from sphinxext_etl.model.dags import Asset, Dag, DagScan
from sphinxext_etl.render.catalog import class_token
from sphinxext_etl.render.dag_words import asset_label
from sphinxext_etl.render.dags import dag_docnames, shown_file
from sphinxext_etl.render.schedule import schedule_parts
from sphinxext_etl.render.text import DASH

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: Each column's title and share of the width: the table's layout is fixed, so that a long
#: dag_id or asset name breaks inside its column instead of widening the table past the page.
COLUMNS = {
    "dag": ("DAG", 28),
    "owner": ("Owner", 13),
    "tags": ("Tags", 11),
    "schedule": ("Schedule", 16),
    "consumes": ("Consumes", 16),
    "produces": ("Produces", 16),
    "tasks": ("Tasks", 7),
    "file": ("File", 20),
}
DEFAULT_COLUMNS = ("dag", "owner", "tags", "schedule", "consumes", "produces")
#: The table's own classes: a catalog table (whose rows the filter reads), the DAG facets'
#: marker, the DAG tables' style, and the widths above as given.
TABLE_CLASSES = ("etl-catalog-table", "etl-dag-catalog", "etl-dags", "colwidths-given")


@dataclass(frozen=True)
class DagQuery:
    """What one ``dag-catalog`` asks for; hashable, so rebuilds can replay it."""

    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    classes: tuple[str, ...] = ()
    #: The reference folder (:confval:`etl_reference_dir`), which holds the DAG pages; ``""``
    #: where the site generates none, and nothing links.
    reference: str = ""


def select_dags(scan: DagScan, query: DagQuery) -> list[Dag]:
    """The DAGs owned by any of the query's owners and tagged with any of its tags, by
    dag_id. Names match as the row classes spell them (``Sales Data`` is ``sales-data``)."""
    owners = {class_token(owner) for owner in query.owners}
    tags = {class_token(tag) for tag in query.tags}
    return sorted(
        (
            dag
            for dag in scan.dags
            if (not owners or owners & {class_token(o) for o in dag.owners})
            and (not tags or tags & {class_token(t) for t in dag.tags})
        ),
        key=lambda dag: (dag.dag_id, dag.file),
    )


def row_classes(dag: Dag) -> list[str]:
    """``etl-row``, then ``etl-owner-<slug>`` per owner and ``etl-tag-<slug>`` per tag: the
    filter's facets, each of which a row may have several values of."""
    classes = [f"etl-owner-{class_token(owner)}" for owner in dag.owners]
    classes += [f"etl-tag-{class_token(tag)}" for tag in dag.tags]
    return ["etl-row", *dict.fromkeys(classes)]


def std_reference(reftype: str, target: str, text: str) -> addnodes.pending_xref:
    """What ``:<reftype>:`text <target>``` gives, its text free to break anywhere."""
    xref = addnodes.pending_xref(
        "", refdomain="std", reftype=reftype, reftarget=target, refexplicit=True, refwarn=True
    )
    xref += breakable(text, text, classes=["xref", "std", f"std-{reftype}"])
    return xref


def asset_reference(asset: Asset, linked: bool) -> nodes.Node:
    """The asset's title, linked to its entry on the Assets page where there is one."""
    if not linked:
        return breakable(asset.title, asset.title)
    return std_reference("ref", asset_label(asset), asset.title)


def cell_nodes(column: str, dag: Dag, page: str, root: str) -> list[nodes.Node]:
    """The inline nodes of one cell (none: the cell shows a dash). ``page`` is the docname
    of the DAG's page, where there is one (and only then are assets linked)."""
    linked = bool(page)
    if column == "dag":
        if not page:
            return [breakable_literal(dag.dag_id, dag.dag_id)]
        return [std_reference("doc", f"/{page}", dag.dag_id)]
    if column == "owner":
        return [nodes.Text(dag.owner)] if dag.owners else []
    if column == "tags":
        return joined((badge(tag, "tag") for tag in dag.tags), " ")
    if column == "schedule":
        # The schedule in words, each asset of an asset schedule linked.
        return [
            nodes.Text(part) if isinstance(part, str) else asset_reference(part, linked)
            for part in schedule_parts(dag.schedule)
        ]
    if column in ("consumes", "produces"):
        assets = dag.consumes if column == "consumes" else dag.produces
        return joined((asset_reference(a, linked) for a in assets), ", ")
    if column == "tasks":
        return [nodes.Text(str(len(dag.tasks)))]
    text = shown_file(dag.file, root)
    return [nodes.literal(text, text)]


def dag_table(scan: DagScan, query: DagQuery, root: str) -> nodes.Element:
    """The catalog's table, a row per DAG the query selects: a pure function of the scan,
    the query and the folder file paths are shown from (``root``)."""
    dags = select_dags(scan, query)
    if not dags:
        return nothing_matches("DAGs")
    docnames = dag_docnames(scan)
    rows = []
    for dag in dags:
        page = f"{query.reference}/{docnames[dag.file, dag.dag_id]}" if query.reference else ""
        cells = (cell_nodes(c, dag, page, root) or [nodes.Text(DASH)] for c in query.columns)
        rows.append(table_row(([nodes.paragraph("", "", *n)] for n in cells), row_classes(dag)))
    titles, widths = zip(*(COLUMNS[c] for c in query.columns), strict=True)
    return data_table([*TABLE_CLASSES, *query.classes], widths, titles, rows)


class DagCatalog(CatalogDirective):
    """``.. dag-catalog::`` renders a table of the DAGs that match its options."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "owners": non_empty_list,
        "tags": non_empty_list,
        # Checked in run(): an unknown column is a warning, and the others still show.
        "columns": comma_list,
        "class": directives.class_option,
    }

    def chosen_columns(self) -> tuple[str, ...]:
        """The ``:columns:`` that exist (all of them unknown, or none given: the default)."""
        asked = tuple(c.lower() for c in self.options.get("columns", ()))
        unknown = [c for c in asked if c not in COLUMNS]
        if unknown or ("columns" in self.options and not asked):
            self.warn(
                "unknown column(s) %s; choose from %s",
                ", ".join(unknown) or "(none given)",
                ", ".join(COLUMNS),
            )
        return tuple(c for c in asked if c in COLUMNS) or DEFAULT_COLUMNS

    def query(self) -> DagQuery:
        config = etl_config(self.config)
        return DagQuery(
            owners=self.options.get("owners", ()),
            tags=self.options.get("tags", ()),
            columns=self.chosen_columns(),
            classes=tuple(self.options.get("class", ())),
            reference=config.reference_dir if config.generate_reference else "",
        )

    def warn_unknown_names(self, scan: DagScan, query: DagQuery) -> None:
        for what, wanted, known in (
            ("owner", query.owners, {o for d in scan.dags for o in d.owners}),
            ("tag", query.tags, {t for d in scan.dags for t in d.tags}),
        ):
            # Compared as the row classes are.
            slugs = {class_token(name) for name in known}
            for name in (n for n in wanted if class_token(n) not in slugs):
                self.warn(
                    "no DAG has the %s %r in this build (known: %s)",
                    what,
                    name,
                    ", ".join(sorted(known)) or "none",
                )

    def run(self) -> list[nodes.Node]:
        query = self.query()
        scan = data_of(self.env).dag_scan
        if scan is None:
            self.warn("no DAGs are scanned in this build (set etl_dag_folders)")
            scan = DagScan()
        else:
            self.warn_unknown_names(scan, query)
        table = dag_table(scan, query, str(self.env.srcdir))
        RENDERS.note(self.env, query, table.pformat())
        return [self.container([table])]


def _remade(env: BuildEnvironment, query: DagQuery) -> str:
    return dag_table(data_of(env).dag_scan or DagScan(), query, str(env.srcdir)).pformat()


#: ``docname -> {query -> (inputs, digest of the table it rendered)}``; the page's own source
#: need not change when a DAG file does.
RENDERS = Renders("dag_catalog_renders", _remade)
