"""A catalog diff as text for a terminal, Markdown for a pull-request comment, JSON for tools,
or the site's "What changed" page: pure functions of
:class:`~sphinxext_etl.model.diff.CatalogDiff`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from itertools import groupby
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from sphinxext_etl.model import Catalog
from sphinxext_etl.model.diff import CatalogDiff, Change, Comparison, OwnerVersions
from sphinxext_etl.model.severity import Severity
from sphinxext_etl.render.text import literal, xref

#: Bump when the JSON's shape changes (fields added keep the version).
DIFF_SCHEMA = 1

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]~|])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def summary(result: CatalogDiff) -> str:
    """``2 breaking, 1 warning, 4 info``, or ``no changes``."""
    if not result:
        return "no changes"
    return ", ".join(f"{n} {severity.value}" for severity, n in result.counts.items() if n)


def versions(owner: OwnerVersions, arrow: str = "->") -> str:
    """``acme 1.0 -> 1.1``; one version when it did not change; ``(none)`` where absent."""
    old, new = owner.old, owner.new
    if old == new:
        return f"{owner.name} {old}".rstrip()
    return f"{owner.name} {old or '(none)'} {arrow} {new or '(none)'}"


def _by_owner(changes: tuple[Change, ...]) -> Iterator[tuple[str, list[Change]]]:
    # Changes come sorted by owner, then component.
    for owner, group in groupby(changes, key=lambda c: c.owner):
        yield owner, list(group)


def _owner_label(result: CatalogDiff, name: str, arrow: str = "->") -> str:
    owner = result.owner(name)
    return versions(owner, arrow) if owner else name


# --- text ---------------------------------------------------------------------------------------


def as_text(result: CatalogDiff) -> str:
    """Grouped by severity, worst first, then owner and component; each change ends with its
    kind id, the name to override its severity with."""
    lines = [f"Catalog diff: {summary(result)}"]
    for severity, changes in result.by_severity().items():
        if not changes:
            continue
        lines += ["", f"{severity.value.upper()} ({len(changes)})"]
        for owner, owned in _by_owner(changes):
            lines.append(f"  {_owner_label(result, owner)}")
            for component, group in groupby(owned, key=lambda c: c.component):
                lines.append(f"    {component}")
                for change in group:
                    lines.append(f"      - {change.message}  [{change.kind}]")
                    if change.note:
                        lines.append(f"        note: {change.note}")
    return "\n".join(lines) + "\n"


# --- Markdown -----------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell: no markup, no HTML, no column break."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return "".join(_HTML_SPECIAL.get(ch, ch) for ch in text)


def _code(text: str) -> str:
    # GitHub reads ``\|`` as a pipe even inside a code span in a table.
    return f"`{text.replace('|', chr(92) + '|')}`"


def _markdown_table(result: CatalogDiff, changes: tuple[Change, ...]) -> list[str]:
    lines = ["| Owner | Component | Change | Kind |", "| --- | --- | --- | --- |"]
    for change in changes:
        what = _cell(change.message)
        if change.note:
            what += f"<br>*{_cell(change.note)}*"
        owner = _cell(_owner_label(result, change.owner, "→"))
        lines.append(f"| {owner} | {_code(change.component)} | {what} | {_code(change.kind)} |")
    return lines


def as_markdown(result: CatalogDiff) -> str:
    """A pull-request comment: the counts, then one table per severity (info folded away)."""
    lines = [f"**Catalog diff:** {summary(result)}"]
    for severity, changes in result.by_severity().items():
        if not changes:
            continue
        title = f"{severity.value.capitalize()} ({len(changes)})"
        table = _markdown_table(result, changes)
        if severity is Severity.INFO:
            # Info rarely needs a reviewer; GitHub renders Markdown in <details> after a blank line.
            lines += ["", "<details>", f"<summary>{title}</summary>", "", *table, "", "</details>"]
        else:
            lines += ["", f"### {title}", "", *table]
    return "\n".join(lines) + "\n"


# --- JSON ---------------------------------------------------------------------------------------


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "severity": change.severity.value,
        "owner": change.owner,
        "component": change.component,
        "parameter": change.parameter or None,
        "old": change.old,
        "new": change.new,
        "message": change.message,
        "note": change.note or None,
    }


def as_json(result: CatalogDiff) -> str:
    """``{"schema": 1, "counts", "worst", "owners", "changes"}``; absent values are null."""
    payload = {
        "schema": DIFF_SCHEMA,
        "counts": {severity.value: n for severity, n in result.counts.items()},
        "worst": result.worst.value if result.worst else None,
        "owners": [{"name": o.name, "old": o.old, "new": o.new} for o in result.owners],
        "changes": [_change_json(change) for change in result.changes],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


#: ``--format`` name -> renderer.
FORMATS: dict[str, Callable[[CatalogDiff], str]] = {
    "text": as_text,
    "markdown": as_markdown,
    "json": as_json,
}


# --- the site's "What changed" page ---------------------------------------------------------------


def changes_page(env: SandboxedEnvironment, comparison: Comparison, catalog: Catalog) -> str:
    """``changes.rst``: this release against the previous one, by owner, worst first; each
    change links its component's page where the component still exists."""
    existing = catalog.by_path()
    groups = []
    if comparison.diff is not None:
        for owner, changes in _by_owner(comparison.diff.changes):
            by_severity = [
                (
                    severity.value,
                    [
                        (c, xref(c.component) if c.component in existing else literal(c.component))
                        for c in changes
                        if c.severity is severity
                    ],
                )
                for severity in Severity
            ]
            label = _owner_label(comparison.diff, owner, "\u2192")
            groups.append((label, [(s, found) for s, found in by_severity if found]))
    counts = (
        [(s.value, n) for s, n in comparison.diff.counts.items() if n] if comparison.diff else []
    )
    return env.get_template("changes.rst.jinja").render(
        comparison=comparison, groups=groups, counts=counts
    )
