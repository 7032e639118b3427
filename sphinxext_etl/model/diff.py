"""What changed between two catalogs: each difference a DAG author may have to act on, with a
stable kind id and a severity from the table (:mod:`.severity`) that users can override."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sphinxext_etl.model import Catalog, Component, Deprecation, Kind, Parameter
from sphinxext_etl.model.severity import CHANGE_KINDS, Severity, severity_table
from sphinxext_etl.model.values import normal_annotation, normal_default, shown

#: The owner DAG changes are listed under.
DAGS_OWNER = "DAGs"
_ORDER = {kind.id: index for index, kind in enumerate(CHANGE_KINDS)}


@dataclass(frozen=True)
class Change:
    """One difference, said of one component (and one of its parameters, if ``parameter``)."""

    kind: str
    severity: Severity
    owner: str
    #: The component's dotted path (the new one when it moved).
    component: str
    parameter: str = ""
    #: The value before and after, as text; None where there was or is none.
    old: str | None = None
    new: str | None = None
    #: What changed, in words, about ``component``.
    message: str = ""
    #: A caveat that the comparison alone cannot settle.
    note: str = ""


@dataclass(frozen=True)
class OwnerVersions:
    """An owner's version in each catalog; None where the catalog does not have it."""

    name: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class CatalogDiff:
    owners: tuple[OwnerVersions, ...]
    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def by_severity(self) -> dict[Severity, tuple[Change, ...]]:
        """Every severity, worst first, with its changes (possibly none)."""
        return {s: tuple(c for c in self.changes if c.severity is s) for s in Severity}

    @property
    def counts(self) -> dict[Severity, int]:
        return {s: len(changes) for s, changes in self.by_severity().items()}

    @property
    def worst(self) -> Severity | None:
        return min((c.severity for c in self.changes), key=lambda s: s.rank, default=None)

    def at_least(self, severity: Severity) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.severity.at_least(severity))

    def owner(self, name: str) -> OwnerVersions | None:
        return next((o for o in self.owners if o.name == name), None)


@dataclass(frozen=True)
class Comparison:
    """What a build compared its catalog with (``etl_compare_with``), and the result."""

    #: Where the previous catalog came from, as configured.
    against: str
    #: None when there was nothing to compare with (see ``reason``).
    diff: CatalogDiff | None = None
    #: Why there is no diff: a first release, an unreachable URL, a broken file.
    reason: str = ""

    def of(self, path: str) -> tuple[Change, ...]:
        """The changes said of one component."""
        return tuple(c for c in self.diff.changes if c.component == path) if self.diff else ()


# --- finding changes ----------------------------------------------------------------------------


def _changed(old: str, new: str) -> bool:
    """A known value changed or went away; one appearing where the old catalog had none is
    not reported, as older builds often just did not know it."""
    return bool(old) and old != new


def _listed(values: Iterable[str]) -> str:
    return ", ".join(values) or "(none)"


def _deprecated(what: str, deprecation: Deprecation) -> str:
    reason = " ".join(deprecation.message.split())
    named = deprecation.replacement and deprecation.replacement not in reason
    instead = f" (use {deprecation.replacement} instead)" if named else ""
    return f"{what} deprecated{': ' + reason if reason else ''}{instead}"


@dataclass(frozen=True)
class _Subject:
    """The component changes are said of, and the severity table that rates them."""

    table: Mapping[str, Severity]
    owner: str
    component: str

    def change(self, kind: str, message: str, **facts: Any) -> Change:
        """A change of ``kind``, rated by the table; ``facts`` are the Change's parameter,
        old, new and note."""
        return Change(kind, self.table[kind], self.owner, self.component, message=message, **facts)


def _kind_changes(s: _Subject, old: Component, new: Component) -> Iterator[Change]:
    if old.kind is new.kind:
        return
    # A transfer is an operator; which of the two a class is listed as is documentation.
    listing = {old.kind, new.kind} == {Kind.OPERATOR, Kind.TRANSFER}
    kind = "component-reclassified" if listing else "component-kind-changed"
    message = f"kind changed from {old.kind.value} to {new.kind.value}"
    yield s.change(kind, message, old=old.kind.value, new=new.kind.value)


def _deprecation_changes(
    s: _Subject, old: Deprecation | None, new: Deprecation | None, what: str, parameter: str = ""
) -> Iterator[Change]:
    prefix = "parameter" if parameter else "component"
    if old is None and new is not None:
        message = _deprecated(what, new)
        yield s.change(f"{prefix}-deprecated", message, parameter=parameter, new=new.message)
    elif old is not None and new is None:
        message = f"{what} is no longer deprecated"
        yield s.change(f"{prefix}-undeprecated", message, parameter=parameter, old=old.message)


def _facts_changes(s: _Subject, old: Component, new: Component) -> Iterator[Change]:
    """Template extensions, connection facts and transfer ends."""
    if sorted(old.template_ext) != sorted(new.template_ext):
        was, now = _listed(old.template_ext), _listed(new.template_ext)
        message = f"template_ext changed from {was} to {now}"
        yield s.change("component-template-ext-changed", message, old=was, new=now)
    old_conn, new_conn = old.connection, new.connection
    pairs = [
        ("connection-type-changed", "connection type", old.conn_type, new.conn_type),
        (
            "connection-default-changed",
            "default connection id",
            old_conn.default_conn_name if old_conn else "",
            new_conn.default_conn_name if new_conn else "",
        ),
    ]
    if old.kind is new.kind is Kind.TRANSFER:
        pairs.append(("transfer-source-changed", "source", old.source_system, new.source_system))
        pairs.append(("transfer-target-changed", "target", old.target_system, new.target_system))
    for kind, label, was, now in pairs:
        if _changed(was, now):
            message = f"{label} changed from {was!r} to {now!r}" if now else f"{label} {was!r} gone"
            yield s.change(kind, message, old=was, new=now or None)


def _parameter_changes(s: _Subject, old: Parameter, new: Parameter) -> Iterator[Change]:
    what, name = f"parameter {new.name!r}", new.name
    was, now = shown(old.default), shown(new.default)
    if not old.required and new.required:
        message = f"{what} is now required (its default was {was})"
        yield s.change("parameter-became-required", message, parameter=name, old=was)
    elif old.required and not new.required:
        message = f"{what} is now optional (default {now})"
        yield s.change("parameter-became-optional", message, parameter=name, new=now)
    elif normal_default(old.default) != normal_default(new.default):
        message = f"{what} default changed from {was} to {now}"
        yield s.change("parameter-default-changed", message, parameter=name, old=was, new=now)
    # An annotation appearing or going away changes nothing a DAG passes.
    old_type, new_type = shown(old.annotation), shown(new.annotation)
    if old_type and new_type and normal_annotation(old_type) != normal_annotation(new_type):
        message = f"{what} type changed from {old_type} to {new_type}"
        yield s.change(
            "parameter-type-changed", message, parameter=name, old=old_type, new=new_type
        )
    if old.templated != new.templated:
        kind = "parameter-templated-added" if new.templated else "parameter-templated-removed"
        message = f"{what} is {'now' if new.templated else 'no longer'} templated"
        yield s.change(kind, message, parameter=name)
    yield from _deprecation_changes(s, old.deprecation, new.deprecation, what, name)


def _named_parameters(component: Component) -> dict[str, Parameter]:
    # ``*args``/``**kwargs`` catch-alls are not parameters a DAG passes by name.
    return {p.name: p for p in component.parameters if not p.variadic}


def _parameters_changes(s: _Subject, old: Component, new: Component) -> Iterator[Change]:
    before, after = _named_parameters(old), _named_parameters(new)
    for name in before.keys() - after.keys():
        yield s.change("parameter-removed", f"parameter {name!r} removed", parameter=name)
    for name in after.keys() - before.keys():
        parameter = after[name]
        if parameter.required:
            message = f"required parameter {name!r} added"
            yield s.change("parameter-added-required", message, parameter=name)
        else:
            default = shown(parameter.default)
            message = f"optional parameter {name!r} added (default {default})"
            yield s.change("parameter-added-optional", message, parameter=name, new=default)
    for name in before.keys() & after.keys():
        yield from _parameter_changes(s, before[name], after[name])


def component_changes(
    table: Mapping[str, Severity], old: Component, new: Component
) -> Iterator[Change]:
    """The changes between two versions of one component (at the same or a new path)."""
    s = _Subject(table, new.owner, new.path)
    if old.path != new.path:
        note = f"{old.path} still imports only if its module re-exports the class"
        message = f"moved from {old.path}"
        yield s.change("component-moved", message, old=old.path, new=new.path, note=note)
    yield from _kind_changes(s, old, new)
    what = f"{new.kind.value} {new.name}"
    yield from _deprecation_changes(s, old.deprecation, new.deprecation, what)
    yield from _facts_changes(s, old, new)
    yield from _parameters_changes(s, old, new)


def find_moves(before: Mapping[str, Component], after: Mapping[str, Component]) -> dict[str, str]:
    """``old path -> new path`` for classes of one owner and name that left one path and
    appeared at another; only where that pairing is unambiguous."""
    gone: dict[tuple[str, str], list[str]] = defaultdict(list)
    came: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in before.keys() - after.keys():
        gone[before[path].owner, before[path].name].append(path)
    for path in after.keys() - before.keys():
        came[after[path].owner, after[path].name].append(path)
    return {
        paths[0]: came[key][0]
        for key, paths in gone.items()
        if len(paths) == 1 and len(came.get(key, ())) == 1
    }


def owner_versions(old: Catalog, new: Catalog) -> tuple[OwnerVersions, ...]:
    def versions(catalog: Catalog) -> dict[str, str]:
        # Providers say; components alone (they should agree) settle on one, whatever the order.
        found: dict[str, str] = {}
        for c in catalog.components:
            found[c.owner] = max(found.get(c.owner, ""), c.owner_version)
        found.update({p.name: p.version for p in catalog.providers})
        return found

    before, after = versions(old), versions(new)
    names = sorted(before.keys() | after.keys())
    return tuple(OwnerVersions(name, before.get(name), after.get(name)) for name in names)


def _order(change: Change) -> tuple[str, str, str, int, str, str]:
    return (
        change.owner,
        change.component,
        change.parameter,
        _ORDER[change.kind],
        change.old or "",
        change.new or "",
    )


def dag_changes(table: Mapping[str, Severity], old: Catalog, new: Catalog) -> Iterator[Change]:
    """DAGs added and removed, and schedules changed, by dag_id (a catalog published before
    DAGs were, schema 2, has none to compare)."""
    before = {d.dag_id: d for d in old.dags}
    after = {d.dag_id: d for d in new.dags}
    for dag_id in sorted(before.keys() | after.keys()):
        s = _Subject(table, DAGS_OWNER, dag_id)
        was, now = before.get(dag_id), after.get(dag_id)
        if now is None:
            yield s.change("dag-removed", f"DAG {dag_id} removed", old=dag_id)
        elif was is None:
            yield s.change("dag-added", f"DAG {dag_id} added", new=dag_id)
        elif was.schedule.expression != now.schedule.expression:
            old_text, new_text = was.schedule.expression, now.schedule.expression
            message = f"schedule changed from {old_text} to {new_text}"
            yield s.change("dag-schedule-changed", message, old=old_text, new=new_text)


def diff(old: Catalog, new: Catalog, severities: Mapping[str, str] | None = None) -> CatalogDiff:
    """Every change from ``old`` to ``new``, rated by the built-in severity table with
    ``severities`` overriding it (``ValueError`` for an unknown kind id or severity)."""
    table = severity_table(severities)
    before, after = old.by_path(), new.by_path()
    moves = find_moves(before, after)
    changes: list[Change] = []
    for path, component in before.items():
        if path in after or path in moves:
            changes += component_changes(table, component, after[moves.get(path, path)])
        else:
            s = _Subject(table, component.owner, path)
            message = f"{component.kind.value} {component.name} removed"
            changes.append(s.change("component-removed", message, old=path))
    for path in after.keys() - before.keys() - set(moves.values()):
        component = after[path]
        s = _Subject(table, component.owner, path)
        message = f"{component.kind.value} {component.name} added"
        changes.append(s.change("component-added", message, new=path))
    changes += dag_changes(table, old, new)
    return CatalogDiff(owner_versions(old, new), tuple(sorted(changes, key=_order)))
