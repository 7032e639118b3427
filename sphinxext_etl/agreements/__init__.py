"""Conventions and agreements: hand-written, first-class objects of the site that can be
listed, referenced and checked against the code.

- :mod:`.domain`: the ``etl`` domain that knows every agreement, and the ``:agreement:`` role;
- :mod:`.directives`: ``agreement``, ``convention``, and the listings' placeholders;
- :mod:`.listings`: the index and "Agreements that apply", filled in at ``doctree-resolved``;
- :mod:`.enforce`: running the checks an agreement lists;
- :mod:`.registry`: what a rule is, and the decorators that register one (no Sphinx);
- :mod:`.scope`: what an agreement applies to (no Sphinx);
- :mod:`.rules`, :mod:`.dag_rules`: the shipped component and DAG rules (no Sphinx).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def load_shipped_rules() -> None:
    """Register the shipped rules in :mod:`.registry`: each module registers its own when it
    is first imported (``conf.py`` may have registered rules of its own before)."""
    from sphinxext_etl.agreements import dag_rules, rules  # noqa: F401


def setup(app: Sphinx) -> None:
    # Imported here, so that ``conf.py`` files import the rule registry
    # (``sphinxext_etl.checks``) without loading Sphinx's domain machinery.
    from sphinxext_etl.agreements import directives, domain, enforce, listings

    load_shipped_rules()
    app.add_domain(domain.EtlDomain)
    # The bare ``:agreement:``/``:convention:`` spellings are the domain's own roles.
    for name, role in domain.EtlDomain.roles.items():
        app.add_role(name, role)
    app.add_directive("agreement", directives.AgreementDirective)
    app.add_directive("convention", directives.ConventionDirective)
    app.add_directive("agreement-index", directives.AgreementIndex)
    app.add_directive("applicable-agreements", directives.ApplicableAgreements)
    app.add_node(directives.agreement_index)
    app.add_node(directives.applicable_agreements)
    app.connect("doctree-resolved", listings.fill_listings)
    app.connect("env-updated", listings.outdated_listings)
    app.connect("env-updated", enforce.check_agreements)
    app.connect("warn-missing-reference", domain.warn_unknown_reference)
