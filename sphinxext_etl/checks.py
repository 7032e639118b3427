"""The rule registry agreements check, as ``conf.py`` files import it:
``from sphinxext_etl.checks import Violation, dag_rule, rule`` (defined in
:mod:`sphinxext_etl.agreements.registry`; what an agreement applies to in
:mod:`~sphinxext_etl.agreements.scope`; the helpers that read a component's source in
:mod:`~sphinxext_etl.agreements.rules`)."""

from sphinxext_etl.agreements.registry import (
    OPERATOR_KINDS,
    RULES,
    Check,
    DagCheck,
    DagContext,
    Rule,
    Target,
    Violation,
    dag_rule,
    rule,
)
from sphinxext_etl.agreements.rules import class_node, own_method
from sphinxext_etl.agreements.scope import Scope

__all__ = [
    "OPERATOR_KINDS",
    "RULES",
    "Check",
    "DagCheck",
    "DagContext",
    "Rule",
    "Scope",
    "Target",
    "Violation",
    "class_node",
    "dag_rule",
    "own_method",
    "rule",
]
