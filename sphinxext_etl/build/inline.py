"""Small pieces of inline markup built as nodes, shared by the directives and the agreements
that build data."""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes


def joined(parts: Iterable[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    """``parts`` with ``separator`` text between each two."""
    found: list[nodes.Node] = []
    for part in parts:
        if found:
            found.append(nodes.Text(separator))
        found.append(part)
    return found


def text_runs(parts: Iterable[str | nodes.Node]) -> list[nodes.Node]:
    """``parts`` as nodes, neighbouring text as one text node (as docutils parses it)."""
    found: list[nodes.Node] = []
    for part in parts:
        if isinstance(part, str):
            part = nodes.Text(part)
        if isinstance(part, nodes.Text) and found and isinstance(found[-1], nodes.Text):
            found[-1] = nodes.Text(found[-1] + part)
        else:
            found.append(part)
    return found
