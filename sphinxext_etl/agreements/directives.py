"""The ``agreement`` and ``convention`` directives, and the placeholders of the listings
(``agreement-index``, ``applicable-agreements``) that :mod:`.listings` fills in."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_id

from sphinxext_etl.agreements.domain import KINDS, Agreement, domain_of
from sphinxext_etl.build.inline import joined
from sphinxext_etl.build.options import comma_list
from sphinxext_etl.config import etl_config

if TYPE_CHECKING:
    from docutils.nodes import Node

logger = logging.getLogger(__name__)


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
            domain_of(self.env).by_document.setdefault(agreement.docname, []).append(agreement)
        # A container, not bare paragraphs: the text writer runs an admonition's paragraphs
        # together.
        body = nodes.container(
            "", metadata(agreement), *self.parse_content_to_nodes(), classes=["etl-agreement-body"]
        )
        classes = [f"etl-{self.kind}", *([f"etl-status-{status}"] if status else [])]
        block = nodes.admonition(
            "",
            title(agreement, title_nodes),
            body,
            classes=["etl-agreement", *classes, *self.options.get("class", [])],
        )
        self.set_source_info(block)
        return [nodes.target("", "", ids=[anchor]), block, *messages]


def title(agreement: Agreement, title_nodes: Sequence[Node]) -> nodes.title:
    """The agreement's kind, id and title."""
    parts: list[Node] = [nodes.inline("", agreement.label, classes=["etl-agreement-kind"])]
    if agreement.id:
        parts += [nodes.Text(" "), nodes.inline("", agreement.id, classes=["etl-agreement-id"])]
    return nodes.title("", "", *parts, nodes.Text(": "), *title_nodes)


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
        ("checks", "Checks", joined(nodes.literal("", c) for c in agreement.checks)),
    ]
    paragraph = nodes.paragraph(classes=["etl-agreement-meta"])
    for key, label, value in fields:
        if not "".join(v.astext() for v in value):
            continue
        if len(paragraph):
            paragraph += nodes.Text(" \u00b7 ")
        label_node = nodes.strong("", f"{label}:")
        paragraph += nodes.inline(
            "", "", label_node, nodes.Text(" "), *value, classes=[f"etl-agreement-{key}"]
        )
    return paragraph


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
        domain_of(self.env).listings[self.env.docname] = True
        return [node]


class ApplicableAgreements(SphinxDirective):
    """``.. applicable-agreements:: dotted.path``: the agreements a component falls under."""

    required_arguments = 1

    def run(self) -> list[Node]:
        node = applicable_agreements(path=self.arguments[0].strip())
        self.set_source_info(node)
        domain_of(self.env).listings[self.env.docname] = True
        return [node]
