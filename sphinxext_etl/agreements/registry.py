"""The rule registry: what a rule is, what it reports, what a DAG rule is given, and the
decorators that register rules (re-exported as :mod:`sphinxext_etl.checks`, which ``conf.py``
files import).

A component rule is a function ``(component, catalog) -> Iterable[str | Violation]``, registered
with :func:`rule`; a DAG rule is a function ``(dag, context) -> Iterable[str | Violation]``,
registered with :func:`dag_rule`. Both kinds share one registry, so an agreement's ``:checks:``
names either. The shipped rules live in :mod:`.rules` and :mod:`.dag_rules`, which register
theirs when :func:`sphinxext_etl.agreements.load_shipped_rules` imports them. Nothing here
knows about Sphinx.
"""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from sphinxext_etl.collect import ast_facts
from sphinxext_etl.collect.dag_source import FileNames, index_paths
from sphinxext_etl.model import Catalog, Component, Kind
from sphinxext_etl.model.dags import Dag, Task

#: Kinds that are Airflow operators at run time (``BaseOperator`` subclasses).
OPERATOR_KINDS = frozenset({Kind.OPERATOR, Kind.SENSOR, Kind.TRANSFER})
#: The common-sql hook that every SQL database's hook derives from.
DB_API_HOOK = "airflow.providers.common.sql.hooks.sql.DbApiHook"
_RULE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Violation:
    """One broken rule. ``line`` is a line of the file checked: the component's source file
    (0: its ``class`` line) or the DAG file (0: the DAG's line)."""

    message: str
    line: int = 0


class Target(str, enum.Enum):
    """What a rule runs over."""

    #: In-house components, each with the catalog.
    COMPONENTS = "components"
    #: The DAGs ``etl_dag_folders`` hold, each with a :class:`DagContext`.
    DAGS = "dags"


@dataclass(frozen=True)
class DagContext:
    """What a DAG rule is given besides the DAG: the catalog, and the DAG file's source."""

    catalog: Catalog
    file: str
    source: str = ""

    @classmethod
    def read(cls, catalog: Catalog, file: str) -> DagContext:
        """The context of one DAG file, read now (not from a parse cached earlier in the
        process: the file may have been edited since)."""
        try:
            source = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            source = ""
        return cls(catalog, file, source)

    @cached_property
    def tree(self) -> ast.Module | None:
        """The DAG file's module, or None when it cannot be read or parsed."""
        if not self.source:
            return None
        try:
            return ast.parse(self.source, filename=self.file)
        except (SyntaxError, ValueError):
            return None

    @property
    def by_path(self) -> dict[str, Component]:
        return self.catalog.by_path()

    @cached_property
    def hook_names(self) -> frozenset[str]:
        """The class names of the catalog's hooks."""
        return frozenset(c.name for c in self.catalog if c.kind is Kind.HOOK)

    def is_sql_hook(self, path: str) -> bool:
        """Whether the hook at ``path`` is common-sql's ``DbApiHook`` or derives from it."""
        known = self.by_path.get(path)
        return path == DB_API_HOOK or (known is not None and DB_API_HOOK in known.bases)

    @cached_property
    def _names(self) -> FileNames | None:
        known = index_paths([c.path for c in self.catalog])
        return FileNames.read(self.tree, Path(self.file).stem, known) if self.tree else None

    def resolve(self, node: ast.expr) -> str:
        """The dotted path a name or attribute chain of the file stands for through its
        imports, as the catalog names it where it can; ``""`` when it is not imported."""
        path = self._names.dotted(node) if self._names else ""
        return self._names.catalog(path)[0] if self._names and path else path

    def literal(self, node: ast.expr) -> object:
        """A literal's value, also through a module constant; None when it is not one."""
        return self._names.literal(node) if self._names else ast_facts.literal(node)

    def function(self, task: Task) -> Function | None:
        """The function the task runs (its TaskFlow function, its ``python_callable=``),
        where the DAG file defines it."""
        if not task.function_line or self.tree is None:
            return None
        defined = (
            n for n in ast.walk(self.tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        )
        return next((n for n in defined if n.lineno == task.function_line), None)


Subject = TypeVar("Subject")
Context = TypeVar("Context")
Check = Callable[[Component, Catalog], Iterable["str | Violation"]]
DagCheck = Callable[[Dag, DagContext], Iterable["str | Violation"]]


@dataclass(frozen=True)
class Rule(Generic[Subject, Context]):
    """A named, described check that an agreement can list in ``:checks:``: a component rule
    (``Rule[Component, Catalog]``) or a DAG rule (``Rule[Dag, DagContext]``)."""

    name: str
    description: str
    check: Callable[[Subject, Context], Iterable[str | Violation]]
    target: Target = Target.COMPONENTS

    def __call__(self, subject: Subject, context: Context) -> list[Violation]:
        return [
            found if isinstance(found, Violation) else Violation(str(found))
            for found in self.check(subject, context)
        ]


#: Every rule of this process, by name: the shipped ones and those registered from ``conf.py``.
RULES: dict[str, Rule[Any, Any]] = {}


def _register(name: str, description: str, target: Target) -> Callable[[Any], Any]:
    if not _RULE_NAME.fullmatch(name):
        raise ValueError(f"rule name {name!r} must be lower-case words joined by '-'")

    def register(check: Any) -> Any:
        RULES[name] = Rule(name, description, check, target)
        return check

    return register


def rule(name: str, description: str) -> Callable[[Check], Check]:
    """Register the decorated function as the component rule ``name``; registering a name
    again replaces the rule (``conf.py`` runs again on every build in one process)."""
    return _register(name, description, Target.COMPONENTS)


def dag_rule(name: str, description: str) -> Callable[[DagCheck], DagCheck]:
    """Register the decorated function as the DAG rule ``name``, run over each DAG an
    agreement covers (``:applies-to: dags``); names are shared with component rules."""
    return _register(name, description, Target.DAGS)
