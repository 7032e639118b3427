"""``etl-rubric``, ``etl-import`` and ``etl-pyclass`` build the very nodes of the Sphinx
directives (with options) they stand for on generated pages, so every builder writes them the
same."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def _body(app: SphinxTestApp, name: str) -> list[str]:
    """The HTML of the page's rubrics, code blocks and class descriptions."""
    soup = BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
    section = soup.select_one("section")
    assert section is not None
    return [str(tag) for tag in section.select(".rubric, div.highlight-python, dl.py.class")]


@pytest.mark.sphinx("html", testroot="page-parts")
def test_the_same_html_as_rubric_and_code_block_with_options(app: SphinxTestApp) -> None:
    app.build()
    ours, theirs = _body(app, "index"), _body(app, "options")
    assert len(theirs) == 3
    assert [ours[0], ours[1], ours[3]] == theirs
    heading = BeautifulSoup(_body(app, "index")[0], "html.parser").find("h2")
    assert heading is not None and set(heading["class"]) == {"rubric", "etl-rubric-used-in"}
    assert heading.find("em") is not None  # the title's inline markup is parsed


@pytest.mark.sphinx("text", testroot="page-parts")
def test_the_same_nodes_for_every_builder(app: SphinxTestApp) -> None:
    app.build()
    made, written = (app.env.get_doctree(name) for name in ("index", "options"))
    kinds = (nodes.rubric, nodes.literal_block, addnodes.desc, addnodes.desc_signature)
    ours = [n for n in made.findall(lambda n: isinstance(n, kinds)) if "No key" not in n.astext()]
    theirs = [n for n in written.findall(lambda n: isinstance(n, kinds))]
    assert [n.attributes | {"source": "", "line": 0} for n in ours] == [
        n.attributes | {"source": "", "line": 0} for n in theirs
    ]
    assert [n.astext() for n in ours] == [n.astext() for n in theirs]


@pytest.mark.sphinx("html", testroot="page-parts", freshenv=True)
def test_a_rubric_without_key_warns_where_it_is(app: SphinxTestApp, warning: object) -> None:
    app.build()
    text = warning.getvalue()  # type: ignore[attr-defined]
    assert "index.rst:12: WARNING: etl-rubric: 'No key here' is not 'Title <key>'" in text
    assert "[etl.option]" in text
    headings = BeautifulSoup(
        (app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser"
    ).select("h2.rubric")
    assert [h.get_text() for h in headings] == ["Used in DAGs", "No key here"]
    # The class's signature is no entry of the page's contents, as with :no-contents-entry:.
    toc = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "BashOperator" not in str(toc.select_one("div.sphinxsidebar"))
