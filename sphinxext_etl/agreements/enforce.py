"""Running agreements' checks: which agreements are enforced, how a component or a DAG breaks
them, and the build step that warns about every violation, at its source (or DAG file) line."""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinxext_etl.agreements import registry
from sphinxext_etl.agreements.domain import Agreement, EtlDomain, domain_of
from sphinxext_etl.build.data import data_of
from sphinxext_etl.config import etl_config
from sphinxext_etl.model import source_location

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxext_etl.model import Catalog
    from sphinxext_etl.model.dags import DagScan

logger = logging.getLogger(__name__)
COMPONENTS, DAGS = registry.Target.COMPONENTS, registry.Target.DAGS


def enforced(agreement: Agreement, checked: Set[str]) -> bool:
    """Whether the agreement's checks run: its status is checked, or it has none."""
    return not agreement.status or agreement.status in checked


def rules_of(agreement: Agreement, target: registry.Target) -> list[registry.Rule[Any, Any]]:
    """The agreement's known rules that run over ``target``, in ``:checks:`` order."""
    found = (registry.RULES.get(name) for name in agreement.checks)
    return [rule for rule in found if rule is not None and rule.target is target]


def violations(
    agreement: Agreement, target: registry.Target, subject: Any, context: Any
) -> Iterator[tuple[registry.Rule[Any, Any], registry.Violation]]:
    """How ``subject`` breaks the agreement's (known) rules over ``target``: a component,
    with the catalog, or a DAG, with its :class:`~.registry.DagContext`."""
    for rule in rules_of(agreement, target):
        yield from ((rule, violation) for violation in rule(subject, context))


def warn(location: str, message: str, *args: object) -> None:
    """An ``etl.agreement`` warning at ``location``."""
    logger.warning(message, *args, location=location, type="etl", subtype="agreement")


def warn_duplicates(domain: EtlDomain) -> dict[str, Agreement]:
    """Warn about every reused id, with both locations; return the first of each id."""
    first = domain.unique()
    for agreement in domain.all():
        earlier = first[agreement.id.casefold()]
        if earlier is not agreement:
            duplicate = f"duplicate {agreement.kind} id {agreement.id}"
            warn(agreement.location, "%s: also defined at %s", duplicate, earlier.location)
    return first


def warn_at(agreement: Agreement, message: str) -> None:
    """A warning about the agreement itself, at its directive."""
    warn(agreement.location, "%s %s: %s", agreement.kind, agreement.id, message)


def warn_rules(agreement: Agreement, catalog: Catalog) -> None:
    """Warn about each rule in ``:checks:`` that is unknown, or has nothing to run over (a DAG
    rule without ``dags`` in ``:applies-to:``, a component rule with only ``dags``)."""
    for name in agreement.checks:
        rule = registry.RULES.get(name)
        if rule is None:
            known = ", ".join(sorted(registry.RULES))
            warn_at(agreement, f"unknown rule {name!r} in :checks: (known: {known})")
        elif not agreement.scope.covers(rule.target, catalog):
            needs = "names no dags" if rule.target is DAGS else "names only dags"
            warn_at(
                agreement, f"rule {name!r} checks {rule.target.value}, but :applies-to: {needs}"
            )


def check_agreements(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated`` (every build, main process, after parallel reads merged): warn about
    duplicate ids, unknown rules, and every component or DAG that breaks a checked agreement."""
    catalog, scan = data_of(env).catalog, data_of(env).dag_scan
    checked = set(etl_config(app).agreement_checked_statuses)
    contexts: dict[str, registry.DagContext] = {}
    for agreement in warn_duplicates(domain_of(env)).values():
        warn_rules(agreement, catalog)
        if not agreement.checks or not enforced(agreement, checked):
            continue
        for component in agreement.scope.select(catalog, in_house_only=True):
            for rule, violation in violations(agreement, COMPONENTS, component, catalog):
                location = (
                    source_location(component.source_file, violation.line or component.source_line)
                    if component.source_file
                    else component.path
                )
                warn_broken(component.path, agreement, rule, violation, location)
        check_dags(agreement, scan, catalog, contexts)


def check_dags(
    agreement: Agreement,
    scan: DagScan | None,
    catalog: Catalog,
    contexts: dict[str, registry.DagContext],
) -> None:
    """Run the agreement's DAG rules over the DAGs it covers; ``contexts`` keeps each DAG
    file's context (its source read and parsed once) across agreements."""
    if not rules_of(agreement, DAGS) or not agreement.scope.covers_dags:
        return
    if scan is None:
        warn_at(agreement, "checks DAGs, but etl_dag_folders is not set")
        return
    for dag in agreement.scope.select_dags(scan, catalog):
        if dag.file not in contexts:
            contexts[dag.file] = registry.DagContext.read(catalog, dag.file)
        for rule, violation in violations(agreement, DAGS, dag, contexts[dag.file]):
            location = source_location(dag.file, violation.line or dag.line)
            warn_broken(f"DAG {dag.dag_id}", agreement, rule, violation, location)


def warn_broken(
    subject: str,
    agreement: Agreement,
    rule: registry.Rule[Any, Any],
    violation: registry.Violation,
    location: str,
) -> None:
    message = f'{subject} breaks {agreement.kind} {agreement.id} "{agreement.title}" ({rule.name})'
    warn(location, "%s: %s", message, violation.message)
