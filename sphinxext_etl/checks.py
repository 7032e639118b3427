"""The rule registry agreements check, as ``conf.py`` files import it:
``from sphinxext_etl.checks import Violation, dag_rule, rule`` (defined in
:mod:`sphinxext_etl.agreements.rules`; the shipped DAG rules and :class:`DagContext` in
:mod:`sphinxext_etl.agreements.dag_rules`)."""

from sphinxext_etl.agreements.dag_rules import DagContext
from sphinxext_etl.agreements.rules import (
    OPERATOR_KINDS,
    RULES,
    Check,
    DagCheck,
    Rule,
    Scope,
    Target,
    Violation,
    class_node,
    dag_rule,
    own_method,
    rule,
)

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
