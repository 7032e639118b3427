"""Tables built as docutils nodes from data, for the directives whose tables are data (the
component and DAG catalogs): what ``list-table`` would give, without reST to parse."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes


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
