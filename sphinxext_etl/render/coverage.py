"""Documentation coverage of in-house packages: measured from the catalog, and its table."""

from __future__ import annotations

from dataclasses import dataclass

from sphinxext_etl.model import Catalog, Component
from sphinxext_etl.render.text import literal


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


def undocumented(component: Component) -> list[str]:
    """``Class`` if it has no docstring, then ``Class(parameter)`` per named parameter without
    a description."""
    found = [] if component.docstring.strip() else [component.name]
    return found + [
        f"{component.name}({p.name})"
        for p in component.parameters
        if not p.variadic and not p.description.strip()
    ]


def measure(catalog: Catalog) -> list[PackageCoverage]:
    """Coverage of every in-house package: components with a docstring, and non-variadic
    ``__init__`` parameters with a description."""
    found: list[PackageCoverage] = []
    for provider in (p for p in catalog.providers if p.in_house):
        components = catalog.owned_by(provider.name)
        parameters = [p for c in components for p in c.parameters if not p.variadic]
        found.append(
            PackageCoverage(
                package=provider.name,
                components=len(components),
                documented_components=sum(1 for c in components if c.docstring.strip()),
                parameters=len(parameters),
                documented_parameters=sum(1 for p in parameters if p.description.strip()),
                missing=tuple(name for c in components for name in undocumented(c)),
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
            f"   * - {literal(package.package)}",
            f"     - {package.documented_components} / {package.components} "
            f"({package.component_percent:.0f}%)",
            f"     - {package.documented_parameters} / {package.parameters} "
            f"({package.parameter_percent:.0f}%)",
        ]
    if show_missing:
        for package in coverage:
            if package.missing:
                lines += ["", f"Undocumented in {literal(package.package)}:", ""]
                lines += [f"* {literal(item)}" for item in package.missing]
    return "\n".join(lines) + "\n"
