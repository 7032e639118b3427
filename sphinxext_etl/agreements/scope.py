"""What an agreement applies to (its ``:applies-to:``): kinds, owners, names, and the
scanned DAGs. Nothing here knows about Sphinx."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass

from sphinxext_etl.agreements.registry import Target
from sphinxext_etl.model import Catalog, Component, Kind, canonical_name, owner_names
from sphinxext_etl.model.dags import Dag, DagScan

#: The ``:applies-to:`` entries that make an agreement cover the scanned DAGs.
DAG_ENTRIES = frozenset({"dag", "dags"})
_GLOB = re.compile(r"[*?\[]")


def _owner_names(component: Component, catalog: Catalog) -> frozenset[str]:
    provider = catalog.provider(component.owner)
    return provider.names if provider else owner_names(component.owner)


@dataclass(frozen=True)
class Scope:
    """An agreement's ``:applies-to:``: kinds (``operators``), owners (``acme_platform``,
    ``http``), names (``*ToPostgres*``, ``acme_platform.operators``) and ``dags``.

    A component matches when it matches every group that is given (one entry of a group is
    enough); an empty scope means every in-house component. ``dags`` makes the scope cover the
    scanned DAGs, narrowed by the name entries (a DAG matches one by its dag_id or a tag); a
    scope with ``dags`` covers components only if it also names a kind or an owner.
    """

    patterns: tuple[str, ...] = ()

    def groups(self, catalog: Catalog) -> tuple[set[Kind], set[str], list[str]]:
        owners = {n for p in catalog.providers for n in p.names}
        kinds: set[Kind] = set()
        owner_tokens: set[str] = set()
        names: list[str] = []
        for token in (t for t in self.patterns if not _is_dags(t)):
            kind = Kind.parse(token)
            if kind is not None:
                kinds.add(kind)
            elif not _GLOB.search(token) and canonical_name(token) in owners:
                owner_tokens.add(canonical_name(token))
            else:
                names.append(token)
        return kinds, owner_tokens, names

    @property
    def covers_dags(self) -> bool:
        return any(_is_dags(token) for token in self.patterns)

    def covers(self, target: Target, catalog: Catalog) -> bool:
        """Whether the scope covers anything ``target`` rules run over."""
        if target is Target.DAGS:
            return self.covers_dags
        kinds, owners, _ = self.groups(catalog)
        return not self.covers_dags or bool(kinds or owners)

    def matcher(self, catalog: Catalog) -> Callable[[Component], bool]:
        """A test for one component, with the patterns sorted into groups once."""
        if not self.patterns:
            return lambda c: c.in_house
        if not self.covers(Target.COMPONENTS, catalog):
            return lambda c: False
        kinds, owners, names = self.groups(catalog)
        return lambda c: (
            (not kinds or c.kind in kinds)
            and (not owners or bool(owners & _owner_names(c, catalog)))
            and (not names or any(_name_matches(c, n) for n in names))
        )

    def select(self, catalog: Catalog, *, in_house_only: bool = False) -> list[Component]:
        """The catalog's components in scope, in catalog order."""
        matches = self.matcher(catalog)
        return [c for c in catalog if (c.in_house or not in_house_only) and matches(c)]

    def matches(self, component: Component, catalog: Catalog) -> bool:
        return self.matcher(catalog)(component)

    def select_dags(self, scan: DagScan | None, catalog: Catalog) -> list[Dag]:
        """The scanned DAGs in scope, in scan order: none unless the scope names ``dags``;
        every DAG, or those whose dag_id or a tag matches a name entry."""
        if scan is None or not self.covers_dags:
            return []
        names = self.groups(catalog)[2]
        return [
            dag
            for dag in scan.dags
            if not names
            or any(fnmatch.fnmatchcase(v, n) for n in names for v in (dag.dag_id, *dag.tags))
        ]


def _is_dags(token: str) -> bool:
    return token.strip().casefold() in DAG_ENTRIES


def _name_matches(component: Component, pattern: str) -> bool:
    return (
        fnmatch.fnmatchcase(component.name, pattern)
        or fnmatch.fnmatchcase(component.path, pattern)
        or component.path.startswith(pattern + ".")
    )
