"""Documentation coverage of in-house packages: the ``etl-coverage`` table and its threshold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl import templating
from sphinxext_etl.config import etl_config
from sphinxext_etl.docrecords import DocRecords, digest
from sphinxext_etl.model import Catalog
from sphinxext_etl.pipeline import catalog_of

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent; nothing to document counts as fully documented."""
    return 100.0 * part / whole if whole else 100.0


@dataclass(frozen=True)
class PackageCoverage:
    """How much of one in-house package is documented."""

    package: str
    components: int
    documented_components: int
    parameters: int
    documented_parameters: int
    #: ``Class`` (no docstring) and ``Class(parameter)`` (no description) entries.
    missing: tuple[str, ...] = ()

    @property
    def component_percent(self) -> float:
        return percent(self.documented_components, self.components)

    @property
    def parameter_percent(self) -> float:
        return percent(self.documented_parameters, self.parameters)


def measure(catalog: Catalog) -> list[PackageCoverage]:
    """Coverage of every in-house package: components with a docstring, and non-variadic
    ``__init__`` parameters with a description."""
    found: list[PackageCoverage] = []
    for provider in catalog.providers:
        if not provider.in_house:
            continue
        components = catalog.owned_by(provider.name)
        missing: list[str] = []
        parameters = documented_parameters = 0
        for component in components:
            if not component.docstring.strip():
                missing.append(component.name)
            for parameter in component.parameters:
                if parameter.variadic:
                    continue
                parameters += 1
                if parameter.description.strip():
                    documented_parameters += 1
                else:
                    missing.append(f"{component.name}({parameter.name})")
        found.append(
            PackageCoverage(
                package=provider.name,
                components=len(components),
                documented_components=sum(1 for c in components if c.docstring.strip()),
                parameters=parameters,
                documented_parameters=documented_parameters,
                missing=tuple(missing),
            )
        )
    return found


def render(coverage: list[PackageCoverage], show_missing: bool) -> str:
    """The reST of the coverage table (and, if asked, what is missing)."""
    if not coverage:
        return "*No in-house packages are configured (see* ``etl_packages``\\ *).*\n"
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :class: etl-coverage",
        "",
        "   * - Package",
        "     - Components documented",
        "     - Parameters documented",
    ]
    for package in coverage:
        lines += [
            f"   * - {templating.literal(package.package)}",
            f"     - {package.documented_components} / {package.components} "
            f"({package.component_percent:.0f}%)",
            f"     - {package.documented_parameters} / {package.parameters} "
            f"({package.parameter_percent:.0f}%)",
        ]
    if show_missing:
        for package in coverage:
            if package.missing:
                lines += ["", f"Undocumented in {templating.literal(package.package)}:", ""]
                lines += [f"* {templating.literal(item)}" for item in package.missing]
    return "\n".join(lines) + "\n"


class EtlCoverage(SphinxDirective):
    """``.. etl-coverage::``: per in-house package, the share of documented components and
    parameters; ``:show-missing:`` lists what is undocumented."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"show-missing": directives.flag}

    def run(self) -> list[nodes.Node]:
        show_missing = "show-missing" in self.options
        text = render(measure(catalog_of(self.env)), show_missing)
        RENDERS.of(self.env).setdefault(self.env.docname, {})[show_missing] = digest(text)
        return self.parse_text_to_nodes(text)


# --- incremental and parallel builds ----------------------------------------------------------


def _coverage_changed(env: BuildEnvironment, renders: dict[bool, str]) -> bool:
    """Whether a page's coverage tables (``show-missing -> digest``) would now differ."""
    coverage = measure(catalog_of(env))
    return any(digest(render(coverage, flag)) != old for flag, old in renders.items())


#: ``docname -> {show-missing -> digest of the reST it rendered}``.
RENDERS: DocRecords[dict[bool, str]] = DocRecords("etl_coverage_renders", _coverage_changed)
outdated_docs = RENDERS.outdated_docs
purge_doc = RENDERS.purge_doc
merge_info = RENDERS.merge_info


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
