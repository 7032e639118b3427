"""Small pieces of markup built as nodes (inline runs, data tables), shared by the directives
and the agreements that build data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


def table_row(cells: Iterable[Sequence[nodes.Node]], classes: Iterable[str] = ()) -> nodes.row:
    """A row of an entry per cell, each holding a cell's body elements (paragraphs)."""
    row = nodes.row(classes=list(classes))
    for content in cells:
        row += nodes.entry("", *content)
    return row


def data_table(
    classes: Iterable[str], widths: Sequence[int], titles: Sequence[str], rows: Iterable[nodes.row]
) -> nodes.table:
    """A table of ``rows`` under a header row of ``titles``, columns of relative ``widths``."""
    table = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(widths))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    head = nodes.thead()
    head += table_row([nodes.paragraph(title, title)] for title in titles)
    body = nodes.tbody()
    body.extend(rows)
    group += [head, body]
    return table
