"""The ``etl-coverage`` directive, and the coverage threshold checked on every build."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.build.data import data_of
from sphinxext_etl.config import etl_config
from sphinxext_etl.directives.tables import Renders
from sphinxext_etl.model import Catalog
from sphinxext_etl.render.coverage import measure, render

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


class EtlCoverage(SphinxDirective):
    """``.. etl-coverage::``: per in-house package, the share of documented components and
    parameters; ``:show-missing:`` lists what is undocumented."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"show-missing": directives.flag}

    def run(self) -> list[nodes.Node]:
        show_missing = "show-missing" in self.options
        text = render(measure(data_of(self.env).catalog), show_missing)
        RENDERS.note(self.env, show_missing, text)
        return self.parse_text_to_nodes(text)


#: ``docname -> {show-missing -> (inputs, digest of the reST it rendered)}``.
RENDERS = Renders(
    "coverage_renders", lambda env, missing: render(measure(data_of(env).catalog), missing)
)


def check_threshold(app: Sphinx, catalog: Catalog) -> None:
    """``etl-catalog-loaded``: warn (``etl.coverage``) for every package below
    ``etl_coverage_threshold``, on every build."""
    threshold = float(etl_config(app).coverage_threshold)
    if threshold <= 0:
        return
    for package in measure(catalog):
        for what, value in (
            ("components", package.component_percent),
            ("parameters", package.parameter_percent),
        ):
            if value < threshold:
                logger.warning(
                    "%s: %.1f%% of %s are documented, below etl_coverage_threshold (%g%%)",
                    package.package,
                    value,
                    what,
                    threshold,
                    location=package.package,
                    type="etl",
                    subtype="coverage",
                )
