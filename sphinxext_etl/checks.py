"""The rule registry agreements check, as ``conf.py`` files import it:
``from sphinxext_etl.checks import Violation, rule`` (defined in
:mod:`sphinxext_etl.agreements.rules`)."""

from sphinxext_etl.agreements.rules import (
    OPERATOR_KINDS,
    RULES,
    Check,
    Rule,
    Scope,
    Violation,
    class_node,
    own_method,
    rule,
)

__all__ = [
    "OPERATOR_KINDS",
    "RULES",
    "Check",
    "Rule",
    "Scope",
    "Violation",
    "class_node",
    "own_method",
    "rule",
]
