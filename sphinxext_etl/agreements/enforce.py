"""Running agreements' checks: which agreements are enforced, how a component breaks
them, and the build step that warns about every violation, at its source line."""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxext_etl.agreements import rules
from sphinxext_etl.agreements.domain import Agreement, EtlDomain, domain_of
from sphinxext_etl.config import etl_config
from sphinxext_etl.model import source_location
from sphinxext_etl.state import catalog_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxext_etl.model import Catalog, Component

logger = logging.getLogger(__name__)


def enforced(agreement: Agreement, checked: Set[str]) -> bool:
    """Whether the agreement's checks run: its status is checked, or it has none."""
    return not agreement.status or agreement.status in checked


def violations(
    agreement: Agreement, component: Component, catalog: Catalog
) -> Iterator[tuple[rules.Rule, rules.Violation]]:
    """How ``component`` breaks the agreement's (known) rules."""
    for name in agreement.checks:
        rule = rules.RULES.get(name)
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
            if name not in rules.RULES:
                logger.warning(
                    "%s %s: unknown rule %r in :checks: (known: %s)",
                    agreement.kind,
                    agreement.id,
                    name,
                    ", ".join(sorted(rules.RULES)),
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
                    location=source_location(component.source_file, line)
                    if component.source_file
                    else component.path,
                    type="etl",
                    subtype="agreement",
                )
