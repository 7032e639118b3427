"""The ``etl-list-table`` directive: docutils' ``list-table``, with each cell of one-line
paragraphs read without a nested state machine (see :mod:`.lines`).

A catalog of 1,500 components is 7,500 cells, each of which ``list-table`` parses as a
document of its own. The table the catalog template writes is regular: a row starts with
``* -``, each further cell with ``  -``, and a cell's further lines are indented by four
spaces. Content of that shape whose cells are all one-line paragraphs gives the same nodes
here; any other content is read by ``list-table`` itself, errors and all.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst.directives.tables import ListTable
from docutils.utils import SystemMessagePropagation
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.directives.lines import paragraphs, simple

#: ``(offset of the cell's first line in the content, the cell's lines, dedented)``
Cell = tuple[int, list[str]]
_ROW, _CELL, _MORE = "* - ", "  - ", "    "


def regular_rows(lines: list[str]) -> list[list[Cell]] | None:
    """The rows of a list table's content in the regular shape, of equal length, with
    simple cells; else None."""
    rows: list[list[Cell]] = []
    cell: Cell | None = None
    for offset, line in enumerate(lines):
        if line.startswith((_ROW, _CELL)) and not line[4:5].isspace():
            if line.startswith(_CELL) and not rows:
                return None
            cell = (offset, [line[4:]])
            if line.startswith(_ROW):
                rows.append([])
            rows[-1].append(cell)
        elif cell is not None and not line.strip():
            cell[1].append("")
        elif cell is not None and line.startswith(_MORE) and not line[4:5].isspace():
            cell[1].append(line[4:])
        else:
            return None
    if len({len(row) for row in rows}) != 1:
        return None
    for row in rows:
        for _, cell_lines in row:
            while cell_lines and not cell_lines[-1]:
                cell_lines.pop()
            if not cell_lines or not simple(cell_lines):
                return None
    return rows


class EtlListTable(ListTable, SphinxDirective):
    """``.. etl-list-table::`` takes ``list-table``'s options and content."""

    def run(self) -> list[nodes.Node]:
        rows = regular_rows(list(self.content))
        if rows is None:
            return super().run()  # type: ignore[no-any-return]
        title, messages = self.make_title()
        first = self.content_offset + 1
        table_data = [
            [paragraphs(self, cell_lines, first + offset, messages) for offset, cell_lines in row]
            for row in rows
        ]
        header_rows = self.options.get("header-rows", 0)
        stub_columns = self.options.get("stub-columns", 0)
        try:
            col_widths = self.get_column_widths(len(rows[0]))
            self.check_table_dimensions(table_data, header_rows, stub_columns)
        except SystemMessagePropagation as detail:
            return [detail.args[0]]
        table = self.build_table_from_list(table_data, col_widths, header_rows, stub_columns)
        if "align" in self.options:
            table["align"] = self.options["align"]
        table["classes"] += self.options.get("class", [])
        self.set_table_width(table)
        self.add_name(table)
        if title:
            table.insert(0, title)
        return [table, *messages]
