"""The ``etl`` domain: every agreement and convention of the project, by document, for
references (the ``:agreement:`` role), the inventory and the listings."""

from __future__ import annotations

from collections.abc import Iterator, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from sphinxext_etl.agreements.scope import Scope
from sphinxext_etl.model import source_location

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

KINDS = ("convention", "agreement")


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
        return source_location(self.source, self.line)

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
        return self.data["agreements"]

    @property
    def listings(self) -> dict[str, bool]:
        return self.data["listings"]

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
        for a in self.unique().values():
            yield (a.id, f"{a.id}: {a.title}", a.kind, a.docname, a.anchor, 1)


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
