"""The directives of a component page's data (``etl-parameters``, ``etl-connection``,
``etl-relations``) build it from the catalog: the nodes of the reST the page's template used
to write, and a page that is read again when what they built would change."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from harbour_site import build, reread, write_package, write_source

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp


def _list_of(app: SphinxTestApp, docname: str) -> nodes.definition_list:
    doctree = app.env.get_doctree(docname)
    return next(doctree.findall(nodes.definition_list))


@pytest.mark.sphinx("html", testroot="parameters")
def test_the_directive_builds_the_nodes_and_html_of_the_list_it_stands_for(
    app: SphinxTestApp,
) -> None:
    app.build()
    plain, directive = _list_of(app, "plain"), _list_of(app, "directive")
    assert directive.pformat() == plain.pformat()
    assert directive["classes"] == ["etl-parameters"]

    def html(name: str) -> str:
        soup = BeautifulSoup(
            (app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser"
        )
        return str(soup.select_one("dl.etl-parameters"))

    assert html("directive") == html("plain")
    assert 'href="#valve_ops.operators.ValveBaseOperator"' not in html("directive")


@pytest.mark.sphinx("html", testroot="parameters")
def test_connection_facts_and_relations_are_the_field_lists_they_stand_for(
    app: SphinxTestApp,
) -> None:
    app.build()
    lists = [
        [field_list.pformat() for field_list in app.env.get_doctree(name).findall(nodes.field_list)]
        for name in ("facts", "plain_facts")
    ]
    assert len(lists[0]) == 3
    assert lists[0] == lists[1]

    def html(name: str) -> list[str]:
        page = (app.outdir / f"{name}.html").read_text(encoding="utf-8")
        return [str(found) for found in BeautifulSoup(page, "html.parser").select("dl.field-list")]

    assert html("facts") == html("plain_facts")


@pytest.mark.sphinx("html", testroot="parameters", freshenv=True)
def test_an_unknown_component_is_a_located_warning_and_the_page_goes_on(
    app: SphinxTestApp,
) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert (
        "unknown.rst:4: WARNING: etl-parameters: no component "
        "valve_ops.operators.CloseValveOperator in this build [etl.reference]"
    ) in warnings
    assert "The page goes on." in (app.outdir / "unknown.html").read_text(encoding="utf-8")


def test_a_page_is_read_again_when_the_list_it_built_changes(tmp_path: Path) -> None:
    """The generated page names only its component: a parameter's type changed in the code
    leaves its text as it was, and the page is read again for the list it built."""
    package = write_package(tmp_path)
    src = write_source(tmp_path)
    page = "reference/harbour/ShipOperator"
    assert page in reread(build(src, tmp_path))
    assert reread(build(src, tmp_path)) == set(), "a no-change rebuild reads nothing"

    before = (src / f"{page}.rst").read_text()
    ship = package / "ship.py"
    ship.write_text(ship.read_text().replace("port: str", "port: int"))
    assert page in reread(build(src, tmp_path))
    assert (src / f"{page}.rst").read_text() == before
    html = (tmp_path / "out" / f"{page}.html").read_text()
    assert '<code class="docutils literal notranslate"><span class="pre">int</span>' in html
