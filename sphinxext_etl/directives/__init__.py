"""The extension's directives: ``operator-catalog``, ``dag-catalog``, ``etl-coverage``, and
``etl-docstring`` and ``etl-parameters`` (which generated pages use), with the handlers that
keep what they rendered current."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinxext_etl.directives import (
    catalog,
    coverage,
    dag_catalog,
    docstring,
    foreign,
    markdown,
    packed,
    parameters,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    app.add_directive("operator-catalog", catalog.OperatorCatalog)
    catalog.RENDERS.connect(app)
    app.add_directive("dag-catalog", dag_catalog.DagCatalog)
    dag_catalog.RENDERS.connect(app)
    packed.setup(app)
    app.add_directive("etl-coverage", coverage.EtlCoverage)
    app.connect("etl-catalog-loaded", coverage.check_threshold)
    coverage.RENDERS.connect(app)
    app.add_directive("etl-docstring", docstring.ComponentDocstring)
    parameters.setup(app)
    app.add_directive("etl-markdown", markdown.EtlMarkdown)
    app.connect("etl-catalog-loaded", foreign.note_reference_markup)
    app.connect("missing-reference", foreign.upstream_ref_as_text, priority=900)
    app.connect("builder-inited", foreign.reset_references)
    foreign.DOCSTRING_PROBLEMS.connect(app)
    app.connect("build-finished", foreign.report_upstream_problems)
