"""The catalog: every provider and component a build knows about, and (as published) the
DAGs that use them, with the indexes its readers look things up in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from functools import cached_property

from sphinxext_etl.model.core import Component, Kind, Provider
from sphinxext_etl.model.dags import Dag


@dataclass(frozen=True, repr=False)
class Catalog:
    """Every provider and component the build knows about, and (as published) the DAGs that
    use them."""

    providers: tuple[Provider, ...] = ()
    components: tuple[Component, ...] = ()
    dags: tuple[Dag, ...] = ()

    def __repr__(self) -> str:
        # Sphinx logs the repr of every event's arguments, this one's included: the whole
        # model spelt out took 0.1 s of a 6-provider no-op rebuild.
        return (
            f"Catalog({len(self.providers)} providers, {len(self.components)} components, "
            f"{len(self.dags)} DAGs)"
        )

    def __iter__(self) -> Iterator[Component]:
        return iter(self.components)

    def __getstate__(self) -> dict[str, object]:
        # A pickled catalog carries its fields, not the indexes below: they are rebuilt on use.
        return {f.name: getattr(self, f.name) for f in fields(self)}

    # The indexes below are built on first use and kept on the instance (``cached_property``
    # writes to ``__dict__``, past the frozen ``__setattr__``); equality, hash and repr see the
    # fields only.

    @cached_property
    def _by_path(self) -> dict[str, Component]:
        return {c.path: c for c in self.components}

    def by_path(self) -> dict[str, Component]:
        """Every component by its dotted path: one dict per catalog, shared, not to be changed."""
        return self._by_path

    @cached_property
    def _providers_by_name(self) -> dict[str, Provider]:
        # The first of a name wins, as a linear search would find it.
        return {p.name: p for p in reversed(self.providers)}

    def provider(self, name: str) -> Provider | None:
        return self._providers_by_name.get(name)

    @cached_property
    def _by_owner(self) -> dict[str, tuple[Component, ...]]:
        return _grouped((c.owner, c) for c in self.components)

    def owned_by(self, owner: str) -> tuple[Component, ...]:
        """The owner's components, in catalog order."""
        return self._by_owner.get(owner, ())

    @cached_property
    def _by_path_or_name(self) -> dict[str, tuple[Component, ...]]:
        # Every component page's agreements listing and every role look a name up.
        return _grouped(
            (key, c) for c in self.components for key in dict.fromkeys((c.path, c.name))
        )

    def lookup(self, target: str, kinds: Iterable[Kind] = ()) -> list[Component]:
        """Components whose dotted path or short name is ``target``, optionally of ``kinds``,
        in catalog order."""
        wanted = set(kinds)
        found = self._by_path_or_name.get(target, ())
        return [c for c in found if not wanted or c.kind in wanted]

    @cached_property
    def _users(self) -> dict[str, tuple[Component, ...]]:
        # Every hook's reference page lists its users: one pass, not one scan per hook.
        return _grouped((hook, c) for c in self.components for hook in dict.fromkeys(c.uses_hooks))

    def used_by(self, hook_path: str) -> tuple[Component, ...]:
        """Components that use the hook at ``hook_path`` (the reverse of ``uses_hooks``), in
        catalog order."""
        return self._users.get(hook_path, ())


def _grouped(pairs: Iterable[tuple[str, Component]]) -> dict[str, tuple[Component, ...]]:
    """``key -> components`` from ``(key, component)`` pairs, each key's in the pairs' order."""
    found: dict[str, list[Component]] = {}
    for key, component in pairs:
        found.setdefault(key, []).append(component)
    return {key: tuple(components) for key, components in found.items()}
