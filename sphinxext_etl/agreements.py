"""Conventions and agreements: their directives, a domain that knows them all, the index,
the role, "agreements that apply" listings, and the build step that runs their checks."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id, make_refnode

from sphinxext_etl import checks
from sphinxext_etl.assets import serve_assets
from sphinxext_etl.catalog import comma_list
from sphinxext_etl.checks import Scope
from sphinxext_etl.config import etl_config
from sphinxext_etl.docrecords import digest
from sphinxext_etl.pipeline import catalog_of

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinxext_etl.model import Catalog, Component

logger = logging.getLogger(__name__)

KINDS = ("convention", "agreement")
CSS_FILE = "etl-agreements.css"


@dataclass(frozen=True)
class Agreement:
    """One ``convention`` or ``agreement`` directive, as the domain remembers it."""

    id: str
    title: str
    kind: str
    status: str = ""
    owner: str = ""
    applies_to: tuple[str, ...] = ()
    since: str = ""
    tags: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    docname: str = ""
    anchor: str = ""
    source: str = ""
    line: int = 0

    @property
    def label(self) -> str:
        return self.kind.capitalize()

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"

    @property
    def scope(self) -> Scope:
        return Scope(self.applies_to)


# --- the domain: storage, references, inventory ------------------------------------------------


class AgreementRole(XRefRole):
    """``:agreement:`PLAT-003``` links to an agreement or convention, showing its id and title."""

    innernodeclass = nodes.inline

    def run(self) -> tuple[list[Node], list[system_message]]:
        self.refdomain, self.reftype = EtlDomain.name, "agreement"
        self.classes = ["xref", "etl-agreement-ref"]
        if self.disabled:
            return self.create_non_xref_node()
        return self.create_xref_node()


class EtlDomain(Domain):
    """Every agreement and convention of the project, by document, for links and listings."""

    name = "etl"
    label = "ETL platform"
    object_types: ClassVar[dict[str, ObjType]] = {
        kind: ObjType(kind, "agreement", "convention") for kind in KINDS
    }
    roles: ClassVar[dict[str, Any]] = {
        "agreement": AgreementRole(warn_dangling=True),
        "convention": AgreementRole(warn_dangling=True),
    }
    # agreements: docname -> [Agreement]; listings: docname -> True; digest: of every agreement.
    initial_data: ClassVar[dict[str, Any]] = {"agreements": {}, "listings": {}, "digest": ""}
    data_version = 1

    @property
    def by_document(self) -> dict[str, list[Agreement]]:
        return self.data["agreements"]  # type: ignore[no-any-return]

    @property
    def listings(self) -> dict[str, bool]:
        return self.data["listings"]  # type: ignore[no-any-return]

    def note_agreement(self, agreement: Agreement) -> None:
        self.by_document.setdefault(agreement.docname, []).append(agreement)

    def note_listing(self, docname: str) -> None:
        self.listings[docname] = True

    def all(self) -> list[Agreement]:
        """Every agreement, duplicates included, in document order."""
        return [a for docname in sorted(self.by_document) for a in self.by_document[docname]]

    def unique(self) -> dict[str, Agreement]:
        """``id -> agreement``; the first of duplicates wins (see :func:`check_agreements`)."""
        found: dict[str, Agreement] = {}
        for agreement in self.all():
            if agreement.id:
                found.setdefault(agreement.id.casefold(), agreement)
        return found

    def find(self, agreement_id: str) -> Agreement | None:
        return self.unique().get(agreement_id.strip().casefold())

    def clear_doc(self, docname: str) -> None:
        self.by_document.pop(docname, None)
        self.listings.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["agreements"]:
                self.by_document[docname] = otherdata["agreements"][docname]
            if docname in otherdata["listings"]:
                self.listings[docname] = True

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        agreement = self.find(target)
        if agreement is None:
            return None
        return link(builder, fromdocname, agreement, contnode if node.get("refexplicit") else None)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        agreement = self.find(target)
        if agreement is None:
            return []
        return [("etl:agreement", link(builder, fromdocname, agreement))]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for agreement in self.unique().values():
            yield (
                agreement.id,
                f"{agreement.id}: {agreement.title}",
                agreement.kind,
                agreement.docname,
                agreement.anchor,
                1,
            )


def domain_of(env: BuildEnvironment) -> EtlDomain:
    return env.get_domain(EtlDomain.name)  # type: ignore[return-value]


def link(
    builder: Builder, fromdocname: str, agreement: Agreement, contnode: nodes.Element | None = None
) -> nodes.reference:
    """A reference to ``agreement``; without ``contnode`` it shows the id and title."""
    if contnode is None:
        contnode = nodes.inline("", "", classes=["etl-agreement-ref"])
        contnode += nodes.inline("", agreement.id, classes=["etl-agreement-id"])
        contnode += nodes.Text(f": {agreement.title}")
    return make_refnode(
        builder,
        fromdocname,
        agreement.docname,
        agreement.anchor,
        contnode,
        f"{agreement.label} {agreement.id}: {agreement.title}",
    )


def warn_unknown_reference(app: Sphinx, domain: Domain | None, node: pending_xref) -> bool | None:
    """``warn-missing-reference``: an unknown agreement id is an ``etl.ref`` warning."""
    if domain is None or domain.name != EtlDomain.name:
        return None
    logger.warning(
        "no agreement or convention has the id %r",
        node["reftarget"],
        location=node,
        type="etl",
        subtype="ref",
    )
    return True


# --- the directives ---------------------------------------------------------------------------


def _lower(argument: str | None) -> str:
    return (argument or "").strip().lower()


class AgreementDirective(SphinxDirective):
    """``.. agreement:: Title`` (and ``.. convention::``): a styled, linkable, checkable block."""

    kind: ClassVar[str] = "agreement"
    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "id": directives.unchanged_required,
        "status": _lower,
        "owner": directives.unchanged,
        "applies-to": comma_list,
        "since": directives.unchanged,
        "tags": comma_list,
        "checks": comma_list,
        "class": directives.class_option,
    }

    def warn(self, message: str, *args: object) -> None:
        logger.warning(
            message, *args, location=self.get_location(), type="etl", subtype="agreement"
        )

    def validate(self, agreement_id: str, status: str) -> None:
        config = etl_config(self.config)
        if not agreement_id:
            self.warn("%s %r has no :id:, so nothing can link to it", self.kind, self.arguments[0])
        elif not re.fullmatch(config.agreement_id_pattern, agreement_id):
            self.warn(
                "%s id %r does not match etl_agreement_id_pattern %r",
                self.kind,
                agreement_id,
                config.agreement_id_pattern,
            )
        if status and config.agreement_statuses and status not in config.agreement_statuses:
            self.warn(
                "%s %s: unknown status %r (choose from %s)",
                self.kind,
                agreement_id,
                status,
                ", ".join(config.agreement_statuses),
            )

    def run(self) -> list[Node]:
        agreement_id = self.options.get("id", "").strip()
        status = self.options.get("status", "")
        self.validate(agreement_id, status)
        title_nodes, messages = self.parse_inline(self.arguments[0], lineno=self.lineno)
        source, line = self.get_source_info()
        anchor = make_id(self.env, self.state.document, self.kind, agreement_id or None)
        agreement = Agreement(
            id=agreement_id,
            title="".join(n.astext() for n in title_nodes),
            kind=self.kind,
            status=status,
            owner=self.options.get("owner", "").strip(),
            applies_to=self.options.get("applies-to", ()),
            since=self.options.get("since", "").strip(),
            tags=self.options.get("tags", ()),
            checks=self.options.get("checks", ()),
            docname=self.env.docname,
            anchor=anchor,
            source=source,
            line=line,
        )
        if agreement_id:
            domain_of(self.env).note_agreement(agreement)
        target = nodes.target("", "", ids=[anchor])
        block = nodes.admonition(
            classes=[
                "etl-agreement",
                f"etl-{self.kind}",
                *([f"etl-status-{status}"] if status else []),
                *self.options.get("class", []),
            ]
        )
        self.set_source_info(block)
        block += self.title(agreement, title_nodes)
        # A container, not bare paragraphs: the text writer runs an admonition's paragraphs
        # together.
        body = nodes.container(classes=["etl-agreement-body"])
        body += metadata(agreement)
        body += self.parse_content_to_nodes()
        block += body
        return [target, block, *messages]

    def title(self, agreement: Agreement, title_nodes: Sequence[Node]) -> nodes.title:
        title = nodes.title("", "")
        title += nodes.inline("", agreement.label, classes=["etl-agreement-kind"])
        if agreement.id:
            title += nodes.Text(" ")
            title += nodes.inline("", agreement.id, classes=["etl-agreement-id"])
        title += nodes.Text(": ")
        title.extend(title_nodes)
        return title


class ConventionDirective(AgreementDirective):
    kind = "convention"


def metadata(agreement: Agreement) -> nodes.paragraph:
    """The metadata line: status, owner, since, scope, tags and checks, where given."""
    fields: list[tuple[str, str, list[nodes.Node]]] = [
        ("status", "Status", [nodes.inline("", agreement.status, classes=["etl-status"])]),
        ("owner", "Owner", [nodes.Text(agreement.owner)]),
        ("since", "Since", [nodes.Text(agreement.since)]),
        ("applies-to", "Applies to", [nodes.Text(", ".join(agreement.applies_to))]),
        ("tags", "Tags", [nodes.Text(", ".join(agreement.tags))]),
        ("checks", "Checks", _joined(nodes.literal("", c) for c in agreement.checks)),
    ]
    paragraph = nodes.paragraph(classes=["etl-agreement-meta"])
    for key, label, value in fields:
        if not "".join(v.astext() for v in value):
            continue
        if len(paragraph):
            paragraph += nodes.Text(" \u00b7 ")
        item = nodes.inline("", "", classes=[f"etl-agreement-{key}"])
        item += nodes.strong("", f"{label}:")
        item += nodes.Text(" ")
        item.extend(value)
        paragraph += item
    return paragraph


def _joined(parts: Iterable[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    joined: list[nodes.Node] = []
    for part in parts:
        if joined:
            joined.append(nodes.Text(separator))
        joined.append(part)
    return joined


# --- listings collected across documents ------------------------------------------------------


class agreement_index(nodes.General, nodes.Element):
    """Placeholder for ``agreement-index``, filled in at ``doctree-resolved``."""


class applicable_agreements(nodes.General, nodes.Element):
    """Placeholder for ``applicable-agreements``, filled in at ``doctree-resolved``."""


def _kinds(argument: str | None) -> tuple[str, ...]:
    chosen = tuple(k.lower().removesuffix("s") for k in comma_list(argument))
    unknown = [k for k in chosen if k not in KINDS]
    if unknown or not chosen:
        raise ValueError(f"choose kinds from {', '.join(KINDS)}")
    return chosen


class AgreementIndex(SphinxDirective):
    """``.. agreement-index::``: a table of agreements, filtered by status, tag, owner, kind."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "status": comma_list,
        "tag": comma_list,
        "owner": comma_list,
        "kind": _kinds,
    }

    def run(self) -> list[Node]:
        node = agreement_index()
        self.set_source_info(node)
        for name in self.option_spec:
            node[name] = [v.casefold() for v in self.options.get(name, ())]
        domain_of(self.env).note_listing(self.env.docname)
        return [node]


class ApplicableAgreements(SphinxDirective):
    """``.. applicable-agreements:: dotted.path``: the agreements a component falls under."""

    required_arguments = 1

    def run(self) -> list[Node]:
        node = applicable_agreements(path=self.arguments[0].strip())
        self.set_source_info(node)
        domain_of(self.env).note_listing(self.env.docname)
        return [node]


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


def _table(
    columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[Sequence[Node]]]
) -> nodes.table:
    table = nodes.table(classes=["etl-agreement-index"])
    group = nodes.tgroup(cols=len(columns))
    table += group
    group.extend(nodes.colspec(colwidth=width) for _, width in columns)
    head, body = nodes.thead(), nodes.tbody()
    head += _row([[nodes.Text(header)] for header, _ in columns])
    body.extend(_row(cells) for cells in rows)
    group += [head, body]
    return table


def _row(cells: Sequence[Sequence[Node]]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", *cell)
        row += entry
    return row


def index_table(builder: Builder, docname: str, agreements: Sequence[Agreement]) -> nodes.Node:
    if not agreements:
        return nodes.paragraph("", "No agreements match.", classes=["etl-agreement-index"])
    rows = [
        [
            [nodes.Text(a.id)],
            [make_refnode(builder, docname, a.docname, a.anchor, nodes.Text(a.title))],
            [nodes.Text(a.label)],
            [nodes.inline("", a.status, classes=["etl-status", f"etl-status-{a.status}"])],
            [nodes.Text(a.owner)],
            [nodes.Text(", ".join(a.tags))],
        ]
        for a in agreements
    ]
    return _table(INDEX_COLUMNS, rows)


def applicable_list(
    builder: Builder, docname: str, agreements: Sequence[Agreement], broken: dict[str, list[str]]
) -> list[Node]:
    """ "Agreements that apply", each with the checks this component does not meet."""
    if not agreements:
        return []
    container = nodes.container(classes=["etl-applicable-agreements"])
    container += nodes.rubric("", "Agreements that apply")
    items = nodes.bullet_list()
    for agreement in agreements:
        paragraph = nodes.paragraph("", "", link(builder, docname, agreement))
        if agreement.status:
            paragraph += nodes.Text(f" ({agreement.status})")
        item = nodes.list_item("", paragraph)
        if broken.get(agreement.id):
            item["classes"].append("etl-agreement-broken")
            notes = nodes.bullet_list()
            notes.extend(
                nodes.list_item("", nodes.paragraph("", f"Not met: {message}"))
                for message in broken[agreement.id]
            )
            item += notes
        items += item
    container += items
    return [container]


def fill_listings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace index and "agreements that apply" placeholders."""
    domain = domain_of(app.env)
    agreements = sorted(domain.unique().values(), key=lambda a: a.id.casefold())
    for index in list(doctree.findall(agreement_index)):
        index.replace_self(index_table(app.builder, docname, selected(agreements, index)))
    catalog = catalog_of(app.env)
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
            a.id: [v.message for _, v in violations(a, component, catalog)]
            for a in matching
            if component.in_house and enforced(a, checked)
        }
        listing.replace_self(applicable_list(app.builder, docname, matching, broken))


def outdated_listings(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: rewrite the pages with listings when any agreement changed, since
    those pages are not re-read themselves."""
    domain = domain_of(env)
    text = repr(sorted(astuple(a) for a in domain.all()))
    fingerprint = digest(text)
    if fingerprint == domain.data["digest"]:
        return []
    domain.data["digest"] = fingerprint
    return sorted(set(domain.listings) & env.found_docs)


# --- checks ------------------------------------------------------------------------------------


def enforced(agreement: Agreement, checked: Set[str]) -> bool:
    """Whether the agreement's checks run: its status is checked, or it has none."""
    return not agreement.status or agreement.status in checked


def violations(
    agreement: Agreement, component: Component, catalog: Catalog
) -> Iterator[tuple[checks.Rule, checks.Violation]]:
    """How ``component`` breaks the agreement's (known) rules."""
    for name in agreement.checks:
        rule = checks.RULES.get(name)
        if rule is not None:
            yield from ((rule, violation) for violation in rule(component, catalog))


def warn_duplicates(domain: EtlDomain) -> dict[str, Agreement]:
    """Warn about every reused id, with both locations; return the first of each id."""
    first: dict[str, Agreement] = {}
    for agreement in domain.all():
        earlier = first.setdefault(agreement.id.casefold(), agreement)
        if earlier is not agreement:
            logger.warning(
                "duplicate %s id %s: also defined at %s",
                agreement.kind,
                agreement.id,
                earlier.location,
                location=agreement.location,
                type="etl",
                subtype="agreement",
            )
    return first


def check_agreements(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated`` (every build, main process, after parallel reads merged): warn about
    duplicate ids, unknown rules, and every component that breaks a checked agreement."""
    catalog = catalog_of(env)
    checked = set(etl_config(app).agreement_checked_statuses)
    for agreement in warn_duplicates(domain_of(env)).values():
        for name in agreement.checks:
            if name not in checks.RULES:
                logger.warning(
                    "%s %s: unknown rule %r in :checks: (known: %s)",
                    agreement.kind,
                    agreement.id,
                    name,
                    ", ".join(sorted(checks.RULES)),
                    location=agreement.location,
                    type="etl",
                    subtype="agreement",
                )
        if not agreement.checks or not enforced(agreement, checked):
            continue
        for component in agreement.scope.select(catalog, in_house_only=True):
            for rule, violation in violations(agreement, component, catalog):
                line = violation.line or component.source_line
                logger.warning(
                    '%s breaks %s %s "%s" (%s): %s',
                    component.path,
                    agreement.kind,
                    agreement.id,
                    agreement.title,
                    rule.name,
                    violation.message,
                    location=f"{component.source_file}:{line}"
                    if component.source_file
                    else component.path,
                    type="etl",
                    subtype="agreement",
                )


def add_static_files(app: Sphinx) -> None:
    """``builder-inited``: ship the agreements' stylesheet with HTML builds only."""
    if serve_assets(app):
        app.add_css_file(CSS_FILE)
