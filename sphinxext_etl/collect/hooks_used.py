"""The hooks a live class uses: names its own source mentions (``ast_facts.references``)
resolved in its module, kept where they are hooks."""

from __future__ import annotations

import ast
import functools
import sys
import warnings
from types import ModuleType
from typing import Any

from sphinxext_etl.collect import ast_facts
from sphinxext_etl.collect.airflow import Bases, inherits
from sphinxext_etl.collect.modules import class_path, import_module
from sphinxext_etl.model import Kind


def hooks_used(cls: type, nodes: dict[type, ast.ClassDef], bases: Bases) -> tuple[str, ...]:
    """Hooks that the class's own source instantiates or references, annotations included."""
    hook_base = next((b for k, b in bases.classes if k is Kind.HOOK), None)
    if hook_base is None:
        return ()
    found: set[type] = set()
    for klass, node in nodes.items():
        mentioned, module = ast_facts.references(node), klass.__module__
        found |= _hooks_named(mentioned, module, hook_base, _loaded(mentioned, module))
    return tuple(sorted({class_path(target) for target in found if target is not cls}))


def _loaded(mentioned: frozenset[ast_facts.Reference], module: str) -> frozenset[str]:
    """The modules of in-body imports that :func:`_may_name_a_hook` looks for in
    ``sys.modules`` and finds there: what else it decides is the same every time."""
    package = module.partition(".")[0]
    return frozenset(m for m in _lazy_imports(mentioned, package) if m in sys.modules)


@functools.lru_cache(maxsize=256)
def _lazy_imports(mentioned: frozenset[ast_facts.Reference], package: str) -> tuple[str, ...]:
    """Modules a method imports a class-like name from, outside Airflow and ``package``."""
    found: set[str] = set()
    for reference in mentioned:
        imported, _, name = reference.chain.rpartition(".")
        top = imported.partition(".")[0]
        if reference.imported and name[:1].isupper() and top not in {"airflow", package}:
            found.add(imported)
    return tuple(sorted(found))


# A base class's node comes back for each of its subclasses: its hooks are resolved once
# (google: 1,575 nodes for 749 classes). Keyed by what the node mentions, not the node,
# which would keep the class's syntax tree. ``loaded`` is in the key because whether an
# in-body import is followed depends on what is imported by then (``_may_name_a_hook``).
@functools.lru_cache(maxsize=2048)
def _hooks_named(
    mentioned: frozenset[ast_facts.Reference], module: str, hook_base: type, loaded: frozenset[str]
) -> frozenset[type]:
    """The hooks among the classes that ``mentioned`` resolves to in ``module``."""
    namespace = vars(sys.modules.get(module, ModuleType("_")))
    # Airflow 3 shims warn on access to moved attributes; resolving a name is not using it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        targets = [
            _resolve_reference(r, namespace) for r in mentioned if _may_name_a_hook(r, module)
        ]
    return frozenset(target for target in targets if inherits(target, hook_base))


def _may_name_a_hook(reference: ast_facts.Reference, module: str) -> bool:
    """Whether resolving the reference could find a hook. A method's ``from M import N`` is
    imported only when ``N`` is spelt as a class and ``M`` is loaded already or could hold a
    hook: Airflow's (every official provider) or the class's own package. Libraries and
    helpers imported lazily (``pandas.io``: 1.8 s) are not imported just to learn that they
    hold none."""
    if not reference.imported:
        return True
    imported, _, name = reference.chain.rpartition(".")
    if not name[:1].isupper():
        return False
    top = imported.partition(".")[0]
    return imported in sys.modules or top in {"airflow", module.partition(".")[0]}


def _resolve_reference(reference: ast_facts.Reference, namespace: dict[str, Any]) -> Any:
    if reference.imported:
        module_name, _, attr = reference.chain.rpartition(".")
        module, _failure = import_module(module_name)
        return getattr(module, attr, None) if module else None
    first, *rest = reference.chain.split(".")
    value = namespace.get(first)
    for attr in rest:
        if value is None:
            return None
        value = getattr(value, attr, None)
    return value
