"""A catalog's table is saved packed in its page's doctree (the root page's is walked for every
page's navigation) and is whole again wherever the page is resolved: HTML, other builders,
references; a catalog holding a node the document's registers point to stays as it is."""

from __future__ import annotations

from inspect import signature
from pathlib import Path

import pytest
from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.testing.util import SphinxTestApp

from sphinxext_etl.directives.packed import etl_packed, pack_tables


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


def test_a_catalog_holding_a_registered_node_stays_in_the_doctree() -> None:
    """A docstring summary with broken inline markup gives a ``problematic`` node, which the
    document's ``ids`` point to: that catalog is saved as it is, the others packed."""
    document = new_document("index")
    broken, clean = (nodes.container(classes=["etl-catalog"]) for _ in range(2))
    problematic = nodes.problematic("``Foo``s", "``Foo``s")
    document.set_id(problematic)
    broken += nodes.paragraph("", "", problematic)
    clean += nodes.paragraph("", "Fine.")
    document += [broken, clean]
    assert pack_tables(document)
    assert document[0] is broken
    assert isinstance(document[1], etl_packed)
