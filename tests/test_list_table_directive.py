"""The ``etl-list-table`` directive gives the nodes and HTML of the ``list-table`` it is
written as, without docutils' nested parsing where the cells are one-line paragraphs, and
leaves anything else to ``list-table``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from docutils import nodes

from sphinxext_etl.directives.table import regular_rows

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def test_regular_rows_are_cells_of_dedented_lines_with_their_offsets() -> None:
    lines = ["* - ``a``", "", "    more", "  - One.", "* - ``b``", "  - Two.", ""]
    assert regular_rows(lines) == [
        [(0, ["``a``", "", "more"]), (3, ["One."])],
        [
            (4, ["``b``"]),
            (5, ["Two."]),
        ],
    ]


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["* - a", "  - b", "* - c"],  # rows of unequal length
        ["* - a", "  - * nested", "    * list"],  # a cell that is not one-line paragraphs
        ["* - a", "     deeper"],  # a block quote
        ["  - a"],  # a cell before any row
        ["* -  a"],  # a cell that starts indented
        ["Some text.", "* - a"],
    ],
)
def test_other_content_is_not_regular(lines: list[str]) -> None:
    assert regular_rows(lines) is None


def _table(app: SphinxTestApp, docname: str, index: int = 0) -> nodes.table:
    return list(app.env.get_doctree(docname).findall(nodes.table))[index]


@pytest.mark.sphinx("html", testroot="list-table")
def test_the_directive_gives_the_nodes_and_html_of_the_list_table(app: SphinxTestApp) -> None:
    app.build()
    plain, directive = _table(app, "plain"), _table(app, "directive")
    # The same nodes, but for the document that cross-references are in.
    assert directive.pformat() == plain.pformat().replace('refdoc="plain"', 'refdoc="directive"')
    assert "etl-catalog-table" in directive["classes"]
    lines = [p.line for p in directive.findall(nodes.paragraph)]
    assert lines == [p.line for p in plain.findall(nodes.paragraph)]

    def html(name: str) -> str:
        page = (app.outdir / f"{name}.html").read_text(encoding="utf-8")
        return str(BeautifulSoup(page, "html.parser").select_one("table"))

    assert html("directive") == html("plain")
    assert 'href="index.html#Loader"' in html("directive")


@pytest.mark.sphinx("html", testroot="list-table", freshenv=True)
def test_other_tables_parse_as_list_tables_do_with_located_problems(app: SphinxTestApp) -> None:
    app.build()
    mixed = _table(app, "mixed")
    assert next(mixed.findall(nodes.bullet_list)).astext() == "fast\n\nsafe"
    assert next(mixed.findall(nodes.literal_block)).astext() == "/data/in"
    broken = _table(app, "mixed", 1)
    assert "``broken``" not in broken.astext()
    warnings = app.warning.getvalue()
    assert "mixed.rst:23: WARNING: Inline interpreted text or phrase reference start-string" in (
        warnings
    )
