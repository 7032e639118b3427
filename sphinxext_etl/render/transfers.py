"""Transfer maps: which systems the transfer operators connect, as a graph or a table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sphinxext_etl.model import Component, Kind


@dataclass(frozen=True)
class Edge:
    """Data moves from ``source`` to ``target`` through ``transfers`` (dotted paths)."""

    source: str
    target: str
    transfers: tuple[str, ...]


def edges(components: Iterable[Component]) -> list[Edge]:
    """One edge per (source, target) pair, sorted; transfers without both ends are left out."""
    found: dict[tuple[str, str], list[str]] = {}
    for component in components:
        if component.kind is Kind.TRANSFER and component.source_system and component.target_system:
            key = (component.source_system, component.target_system)
            found.setdefault(key, []).append(component.path)
    return [Edge(s, t, tuple(sorted(paths))) for (s, t), paths in sorted(found.items())]


def quoted(*lines: str) -> str:
    """A DOT string of ``lines``, escaped, joined by DOT's own line breaks."""
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def dot_source(found: list[Edge]) -> str:
    """A left-to-right Graphviz digraph, edges labelled with the operators' class names."""
    lines = [
        "digraph transfers {",
        "   rankdir=LR;",
        '   node [shape=box, style="rounded,filled", fillcolor="#eef3f8", fontname="sans-serif"];',
        '   edge [fontname="sans-serif", fontsize=10];',
    ]
    for edge in found:
        label = quoted(*(path.rpartition(".")[2] for path in edge.transfers))
        lines.append(f"   {quoted(edge.source)} -> {quoted(edge.target)} [label={label}];")
    lines.append("}")
    return "\n".join(lines)


def alt_text(found: list[Edge]) -> str:
    return "Transfer map: " + "; ".join(f"{e.source} to {e.target}" for e in found)
