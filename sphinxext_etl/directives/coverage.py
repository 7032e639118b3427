"""The ``etl-coverage`` directive, and the coverage threshold checked on every build."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.build.data import DocRecords, data_of, digest
from sphinxext_etl.config import etl_config
from sphinxext_etl.model import Catalog
from sphinxext_etl.render.coverage import measure, render

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


class EtlCoverage(SphinxDirective):
    """``.. etl-coverage::``: per in-house package, the share of documented components and
    parameters; ``:show-missing:`` lists what is undocumented."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"show-missing": directives.flag}

    def run(self) -> list[nodes.Node]:
        show_missing = "show-missing" in self.options
        text = render(measure(data_of(self.env).catalog), show_missing)
        RENDERS.of(self.env).setdefault(self.env.docname, {})[show_missing] = digest(text)
        return self.parse_text_to_nodes(text)


# --- incremental and parallel builds ----------------------------------------------------------


def _coverage_changed(env: BuildEnvironment, renders: dict[bool, str]) -> bool:
    """Whether a page's coverage tables (``show-missing -> digest``) would now differ."""
    coverage = measure(data_of(env).catalog)
    return any(digest(render(coverage, flag)) != old for flag, old in renders.items())


#: ``docname -> {show-missing -> digest of the reST it rendered}``.
RENDERS: DocRecords[dict[bool, str]] = DocRecords("coverage_renders", _coverage_changed)


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
