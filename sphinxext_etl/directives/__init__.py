"""The extension's directives: ``operator-catalog``, ``dag-catalog``, ``etl-coverage``, and
those generated pages use (``etl-docstring``, ``etl-parameters``, ``etl-connection``,
``etl-relations``, ``etl-markdown``, ``etl-rubric``, ``etl-import``, ``etl-pyclass``), with
the handlers that keep what they rendered current."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinxext_etl.directives import (
    catalog,
    component_data,
    coverage,
    dag_catalog,
    docstring,
    markdown,
    packed,
    page_parts,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    app.add_directive("operator-catalog", catalog.OperatorCatalog)
    app.add_directive("dag-catalog", dag_catalog.DagCatalog)
    packed.setup(app)
    app.add_directive("etl-coverage", coverage.EtlCoverage)
    app.connect("etl-catalog-loaded", coverage.check_threshold)
    app.add_directive("etl-docstring", docstring.ComponentDocstring)
    app.add_directive("etl-parameters", component_data.Parameters)
    app.add_directive("etl-connection", component_data.ConnectionFacts)
    app.add_directive("etl-relations", component_data.Relations)
    app.add_directive("etl-markdown", markdown.EtlMarkdown)
    app.add_directive("etl-rubric", page_parts.EtlRubric)
    app.add_directive("etl-import", page_parts.EtlImport)
    app.add_directive("etl-pyclass", page_parts.EtlPyClass)
    app.add_directive("etl-upstream-docstring", docstring.UpstreamDocstring)
