"""The rule registry agreements check, as ``conf.py`` files import it:
``from sphinxext_etl.checks import Violation, dag_rule, rule`` (defined in
:mod:`sphinxext_etl.agreements.registry`; what an agreement applies to in
:mod:`~sphinxext_etl.agreements.scope`; the helpers that read a component's source in
:mod:`~sphinxext_etl.agreements.rules`)."""

from sphinxext_etl.agreements.registry import OPERATOR_KINDS as OPERATOR_KINDS
from sphinxext_etl.agreements.registry import RULES as RULES
from sphinxext_etl.agreements.registry import Check as Check
from sphinxext_etl.agreements.registry import DagCheck as DagCheck
from sphinxext_etl.agreements.registry import DagContext as DagContext
from sphinxext_etl.agreements.registry import Rule as Rule
from sphinxext_etl.agreements.registry import Target as Target
from sphinxext_etl.agreements.registry import Violation as Violation
from sphinxext_etl.agreements.registry import dag_rule as dag_rule
from sphinxext_etl.agreements.registry import rule as rule
from sphinxext_etl.agreements.rules import class_node as class_node
from sphinxext_etl.agreements.rules import own_method as own_method
from sphinxext_etl.agreements.scope import Scope as Scope
