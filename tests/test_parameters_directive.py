"""The ``etl-parameters`` directive gives the nodes of the definition list it is written as,
without docutils' nested parsing where the definitions are one-line paragraphs, and parses
anything else the usual way."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from docutils import nodes

from sphinxext_etl.directives.parameters import entries, simple

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def test_entries_split_terms_from_their_dedented_definitions() -> None:
    lines = ["``a`` (``int``)", "   One.", "", "   Two.", "", "``b``", "   Three.", ""]
    assert list(entries(lines)) == [
        ("``a`` (``int``)", 0, ["One.", "", "Two."], 1),
        ("``b``", 5, ["Three."], 6),
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["One line."], True),
        (["One.", "", "Two, *emphasised*."], True),
        (["*Not documented.*"], True),
        (["\\- an escaped dash."], True),
        ([], True),
        (["Two lines", "of one paragraph."], False),
        (["", "A leading blank."], False),
        (["One.", "", "", "Two."], False),
        (["* a bullet"], False),
        (["1. a number"], False),
        (["A block follows::"], False),
        (["..  note:: a directive"], False),
        ([":field: a field list"], False),
        ([":py:class:`Hook <a.b.Hook>` *(deprecated)*"], True),
        ([":py:class: a field named so"], False),
        (["\u2014"], True),
        (["\u2014 an attribution, in a block quote"], False),
    ],
)
def test_simple_definitions_are_one_line_paragraphs(lines: list[str], expected: bool) -> None:
    assert simple(lines) is expected


def _list_of(app: SphinxTestApp, docname: str) -> nodes.definition_list:
    doctree = app.env.get_doctree(docname)
    return next(doctree.findall(nodes.definition_list))


@pytest.mark.sphinx("html", testroot="parameters")
def test_the_directive_gives_the_nodes_and_html_of_the_list(app: SphinxTestApp) -> None:
    app.build()
    plain, directive = _list_of(app, "plain"), _list_of(app, "directive")
    assert directive.pformat() == plain.pformat()
    assert directive["classes"] == ["etl-parameters"]
    assert [item.line for item in directive.findall(nodes.definition_list_item)] == [6, 9, 14]

    def html(name: str) -> str:
        soup = BeautifulSoup(
            (app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser"
        )
        return str(soup.select_one("dl.etl-parameters"))

    assert html("directive") == html("plain")


@pytest.mark.sphinx("html", testroot="parameters", freshenv=True)
def test_other_definitions_parse_as_usual_with_located_problems(app: SphinxTestApp) -> None:
    app.build()
    found = _list_of(app, "mixed")
    items = list(found.findall(nodes.definition_list_item))
    assert next(items[0].findall(nodes.bullet_list)).astext() == "fast\n\nsafe"
    assert next(items[1].findall(nodes.literal_block)).astext() == "/data/in"
    warnings = app.warning.getvalue()
    assert "mixed.rst:18: WARNING: Inline interpreted text or phrase reference start-string" in (
        warnings
    )
