"""The ``etl-parameters`` directive: a component's parameters as a definition list, built as
nodes from the catalog where the page is read; only each description, docstring prose, is
parsed as markup. Its ``setup`` registers the component page's other data directives too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinxext_etl.build.inline import text_runs
from sphinxext_etl.build.roles import badge
from sphinxext_etl.directives import facts
from sphinxext_etl.directives.component_data import ComponentData
from sphinxext_etl.directives.tables import inline_nodes
from sphinxext_etl.render.reference import ParameterRow, parameter_rows
from sphinxext_etl.render.text import Inline

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxext_etl.model import Catalog, Component


def term_parts(row: ParameterRow) -> list[str | nodes.Node]:
    """The parameter's line: ``name (annotation, default value) badge badge``."""
    details: list[str | nodes.Node] = []
    if row.annotation:
        details += [nodes.literal(row.annotation, row.annotation)]
    if row.default:
        details += [
            ", default " if details else "default ",
            nodes.literal(row.default, row.default),
        ]
    parts: list[str | nodes.Node] = [nodes.literal(row.name, row.name)]
    if details:
        parts += [" (", *details, ")"]
    for label, variant in row.badges:
        parts += [" ", badge(label, variant)]
    return parts


class Parameters(ComponentData):
    """``.. etl-parameters:: <dotted path>``: the parameter list of the component at that path
    (a ``definition_list`` with the ``etl-parameters`` class)."""

    kind = "parameters"
    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}

    @staticmethod
    def data(catalog: Catalog, component: Component) -> list[ParameterRow]:
        return parameter_rows(component)

    def build(
        self, data: list[ParameterRow], messages: list[nodes.system_message]
    ) -> list[nodes.Node]:
        found = nodes.definition_list(classes=["etl-parameters", *self.options.get("class", [])])
        for row in data:
            term = nodes.term("", "", *text_runs(term_parts(row)))
            # The description is one paragraph of inline markup: render.text.inline makes
            # every docstring's text so.
            prose = inline_nodes(self, [Inline("prose", row.description)], messages)
            definition = nodes.definition("", nodes.paragraph(row.description, "", *prose))
            if row.defined_in:
                base = Inline("etl-class", row.defined_in.rpartition(".")[2], row.defined_in)
                parts = inline_nodes(self, ["Defined in ", base, "."], messages)
                definition += nodes.paragraph("", "", *parts)
            found += nodes.definition_list_item("", term, definition)
        return [found]


def setup(app: Sphinx) -> None:
    app.add_directive("etl-parameters", Parameters)
    app.add_directive("etl-connection", facts.ConnectionFacts)
    app.add_directive("etl-relations", facts.Relations)
