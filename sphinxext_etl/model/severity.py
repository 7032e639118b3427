"""The kinds of change between two catalogs: each one's stable id, built-in severity and
meaning, and the severity table that users override (``etl_diff_severities``, ``--severity``)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How much a change matters to the authors of existing DAGs, worst first."""

    #: A DAG that worked may now fail to parse or run.
    BREAKING = "breaking"
    #: It still runs, but may behave differently, or will have to change soon.
    WARNING = "warning"
    #: Nothing an existing DAG has to do.
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the worst severity; lower is worse."""
        return list(Severity).index(self)

    def at_least(self, other: Severity) -> bool:
        return self.rank <= other.rank

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r}: use one of {names}") from None


@dataclass(frozen=True)
class ChangeKind:
    """One kind of change: its stable id, its built-in severity, and what it means."""

    id: str
    severity: Severity
    meaning: str


_B, _W, _I = Severity.BREAKING, Severity.WARNING, Severity.INFO

#: Every kind of change, in the order changes of one subject are listed. See docs/diff.rst
#: for why each severity is what it is.
CHANGE_KINDS: tuple[ChangeKind, ...] = (
    ChangeKind("component-removed", _B, "a class is gone from its import path"),
    ChangeKind("component-kind-changed", _B, "a class changed kind (a sensor became an operator)"),
    ChangeKind("component-moved", _W, "a class is gone from one import path, found at another"),
    ChangeKind("component-deprecated", _W, "a class became deprecated"),
    ChangeKind("component-template-ext-changed", _W, "the file extensions rendered as templates"),
    ChangeKind("connection-type-changed", _W, "a hook's connection type"),
    ChangeKind("connection-default-changed", _W, "a hook's default connection id"),
    ChangeKind("component-added", _I, "a new class"),
    ChangeKind("component-reclassified", _I, "an operator is now listed as a transfer, or back"),
    ChangeKind("component-undeprecated", _I, "a class is no longer deprecated"),
    ChangeKind("transfer-source-changed", _I, "the system a transfer reads from"),
    ChangeKind("transfer-target-changed", _I, "the system a transfer writes to"),
    ChangeKind("parameter-removed", _B, "a parameter is gone"),
    ChangeKind("parameter-added-required", _B, "a new parameter without a default"),
    ChangeKind("parameter-became-required", _B, "a parameter lost its default"),
    ChangeKind("parameter-default-changed", _W, "a parameter's default value"),
    ChangeKind("parameter-type-changed", _W, "a parameter's annotation"),
    ChangeKind("parameter-templated-removed", _W, "a parameter is no longer a template field"),
    ChangeKind("parameter-deprecated", _W, "a parameter became deprecated"),
    ChangeKind("parameter-added-optional", _I, "a new parameter with a default"),
    ChangeKind("parameter-became-optional", _I, "a parameter gained a default"),
    ChangeKind("parameter-templated-added", _I, "a parameter became a template field"),
    ChangeKind("parameter-undeprecated", _I, "a parameter is no longer deprecated"),
    ChangeKind("dag-removed", _W, "a DAG is gone from the platform"),
    ChangeKind("dag-schedule-changed", _W, "when a DAG runs"),
    ChangeKind("dag-added", _I, "a new DAG"),
)


def severity_table(overrides: Mapping[str, str] | None = None) -> dict[str, Severity]:
    """The built-in severities with ``overrides`` (``{"parameter-default-changed":
    "breaking"}``) applied; ``ValueError`` names an unknown kind id or severity."""
    table = {kind.id: kind.severity for kind in CHANGE_KINDS}
    for kind_id, level in (overrides or {}).items():
        if kind_id not in table:
            raise ValueError(f"unknown change kind {kind_id!r}; the kinds are: {', '.join(table)}")
        try:
            table[kind_id] = Severity.parse(level)
        except ValueError as error:
            raise ValueError(f"{kind_id}: {error}") from None
    return table
