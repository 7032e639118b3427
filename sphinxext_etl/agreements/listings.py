"""The listings: the agreement index and "Agreements that apply", filled in at
``doctree-resolved`` from every document's agreements."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sphinxext_etl.agreements.directives import agreement_index, applicable_agreements
from sphinxext_etl.agreements.domain import Agreement, domain_of, link
from sphinxext_etl.agreements.enforce import COMPONENTS, enforced, violations
from sphinxext_etl.build.data import data_of, digest, reaches
from sphinxext_etl.build.html import note_resolved_assets
from sphinxext_etl.build.inline import data_table, table_row
from sphinxext_etl.config import etl_config

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def selected(agreements: Iterable[Agreement], node: agreement_index) -> list[Agreement]:
    """The agreements an index's filters keep, sorted by id."""

    def keep(agreement: Agreement) -> bool:
        wanted = {
            "status": {agreement.status.casefold()},
            "owner": {agreement.owner.casefold()},
            "kind": {agreement.kind},
            "tag": {t.casefold() for t in agreement.tags},
        }
        return all(not node[key] or set(node[key]) & values for key, values in wanted.items())

    return sorted(filter(keep, agreements), key=lambda a: a.id.casefold())


#: The index's columns and their widths, in proportion to what they hold. The text builder
#: reads a width as characters (and Sphinx 8.1 never finishes wrapping a one-character
#: column); HTML and LaTeX size the columns themselves unless a table says ``colwidths-given``.
INDEX_COLUMNS: tuple[tuple[str, int], ...] = (
    ("ID", 10),
    ("Title", 24),
    ("Kind", 10),
    ("Status", 10),
    ("Owner", 13),
    ("Tags", 13),
)


def index_table(builder: Builder, docname: str, agreements: Sequence[Agreement]) -> nodes.Node:
    if not agreements:
        return nodes.paragraph("", "No agreements match.", classes=["etl-agreement-index"])
    cells = [
        [
            nodes.Text(a.id),
            make_refnode(builder, docname, a.docname, a.anchor, nodes.Text(a.title)),
            nodes.Text(a.label),
            nodes.inline("", a.status, classes=["etl-status", f"etl-status-{a.status}"]),
            nodes.Text(a.owner),
            nodes.Text(", ".join(a.tags)),
        ]
        for a in agreements
    ]
    rows = [table_row([nodes.paragraph("", "", node)] for node in row) for row in cells]
    titles, widths = zip(*INDEX_COLUMNS, strict=True)
    return data_table(["etl-agreement-index"], widths, titles, rows)


def applicable_list(
    builder: Builder, docname: str, agreements: Sequence[Agreement], broken: dict[str, list[str]]
) -> list[Node]:
    """ "Agreements that apply", each with the checks this component does not meet."""
    if not agreements:
        return []
    items = nodes.bullet_list()
    for agreement in agreements:
        paragraph = nodes.paragraph("", "", link(builder, docname, agreement))
        if agreement.status:
            paragraph += nodes.Text(f" ({agreement.status})")
        item = nodes.list_item("", paragraph)
        if broken.get(agreement.id):
            item["classes"].append("etl-agreement-broken")
            not_met = (f"Not met: {message}" for message in broken[agreement.id])
            item += nodes.bullet_list(
                "", *(nodes.list_item("", nodes.paragraph("", t)) for t in not_met)
            )
        items += item
    rubric = nodes.rubric("", "Agreements that apply")
    return [nodes.container("", rubric, items, classes=["etl-applicable-agreements"])]


def fill_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace index and "agreements that apply" placeholders, on the
    pages whose directives noted a listing when they were read (no other page is walked)."""
    domain = domain_of(app.env)
    # A page with a listing, or one that builders assembling one document (singlehtml,
    # LaTeX) put such a page into through its toctree.
    if not reaches(app.env, docname, domain.listings):
        return
    agreements = sorted(domain.unique().values(), key=lambda a: a.id.casefold())
    for index in list(doctree.findall(agreement_index)):
        table = index_table(app.builder, docname, selected(agreements, index))
        index.replace_self(table)
        note_resolved_assets(app.env, docname, [table])
    catalog = data_of(app.env).catalog
    for listing in list(doctree.findall(applicable_agreements)):
        found = catalog.lookup(listing["path"])
        component = found[0] if len(found) == 1 else None
        if component is None:
            logger.warning(
                "applicable-agreements: no single component %r in this build",
                listing["path"],
                location=listing,
                type="etl",
                subtype="ref",
            )
            listing.replace_self([])
            continue
        matching = [a for a in agreements if a.scope.matches(component, catalog)]
        checked = set(etl_config(app).agreement_checked_statuses)
        broken = {
            a.id: [v.message for _, v in violations(a, COMPONENTS, component, catalog)]
            for a in matching
            if component.in_house and enforced(a, checked)
        }
        shown = applicable_list(app.builder, docname, matching, broken)
        listing.replace_self(shown)
        note_resolved_assets(app.env, docname, shown)


def outdated_listings(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: rewrite the pages with listings when any agreement changed, since
    those pages are not re-read themselves."""
    domain = domain_of(env)
    fingerprint = digest(repr(sorted(astuple(a) for a in domain.all())))
    if fingerprint == domain.data["digest"]:
        return []
    domain.data["digest"] = fingerprint
    return sorted(set(domain.listings) & env.found_docs)
