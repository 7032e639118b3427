"""Small pieces of inline markup built as nodes, shared by the directives that build data."""

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
