"""A catalog's table is saved packed in its page's doctree (the root page's is walked for every
page's navigation) and is whole again wherever the page is resolved: HTML, other builders,
references, and a site template whose catalog holds a target."""

from __future__ import annotations

import re
import shutil
from inspect import signature
from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes
from sphinx.testing.util import SphinxTestApp

from sphinxext_etl.directives.packed import etl_packed

PACKAGE_TEMPLATE = Path(__file__).parents[1] / "sphinxext_etl/render/templates/catalog.rst.jinja"


def catalog_tables(doctree: nodes.document) -> list[nodes.table]:
    return [t for t in doctree.findall(nodes.table) if "etl-catalog-table" in t["classes"]]


@pytest.mark.sphinx("html", testroot="catalog")
def test_the_saved_root_doctree_holds_the_catalog_packed(app: SphinxTestApp) -> None:
    app.build()
    saved = app.env.get_doctree("index")
    assert catalog_tables(saved) == []
    assert len(list(saved.findall(etl_packed))) == 1

    # Sphinx 9 asks for the tags; 8.1 (the oldest supported) has no such argument.
    tags = (
        {"tags": app.tags}
        if "tags" in signature(app.env.get_and_resolve_doctree).parameters
        else {}
    )
    resolved = app.env.get_and_resolve_doctree("index", app.builder, **tags)
    tables = catalog_tables(resolved)
    assert len(tables) == 1
    assert not list(resolved.findall(etl_packed))
    assert not list(resolved.findall(addnodes.pending_xref))
    rows = [row for table in tables for row in table.findall(nodes.row)]
    assert any("etl-kind-hook" in row["classes"] for row in rows)
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert 'class="etl-catalog-table' in html
    assert "SqliteToPostgresOperator" in html
    # The page's scripts come from the resolved tree's classes.
    assert "etl-catalog.js" in html


def test_a_catalog_holding_a_footnote_stays_in_the_doctree(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-catalog", srcdir)
    (srcdir / "_templates").mkdir()
    template = PACKAGE_TEMPLATE.read_text(encoding="utf-8")
    (srcdir / "_templates" / "catalog.rst.jinja").write_text(
        # The template's opening comment strips the whitespace before it.
        "Read from the installed code [#]_.\n\n.. [#] At build time.\n\n"
        + template.replace("{#-", "{#", 1),
        encoding="utf-8",
    )
    with (srcdir / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\ntemplates_path = ["_templates"]\n')
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()

    assert "WARNING" not in app.warning.getvalue()
    # docutils' registers point into the catalog (the footnote and its reference): it is
    # saved as it is, and the footnotes are numbered and linked as on any page.
    saved = app.env.get_doctree("index")
    assert catalog_tables(saved)
    assert not list(saved.findall(etl_packed))
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    references = re.findall(r'class="footnote-reference[^"]*" href="#([^"]+)"', html)
    assert len(references) == 1  # the page has one catalog
    for target in references:
        assert f'id="{target}"' in html
