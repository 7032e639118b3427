"""What a component page shows from the catalog, built as nodes where the page is read: the
``etl-parameters``, ``etl-connection`` and ``etl-relations`` directives (a component's
parameters as a definition list, a hook's connection facts and a component's relations as
field lists; only docstring prose and text taken from code are parsed as inline markup), and
the records that read a page again when what they built would now come out differently (the
generated page holds only the component's path, so its text does not change)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.build.data import data_of, stable_text
from sphinxext_etl.build.inline import text_runs
from sphinxext_etl.build.roles import badge
from sphinxext_etl.directives.docstring import component_at
from sphinxext_etl.directives.tables import Renders, inline_nodes
from sphinxext_etl.render.connection import Fact, connection_facts
from sphinxext_etl.render.reference import ParameterRow, parameter_rows, relation_facts
from sphinxext_etl.render.text import Inline

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from sphinxext_etl.model import Catalog, Component

logger = logging.getLogger(__name__)


class ComponentData(SphinxDirective):
    """``.. <name>:: <dotted path>``: what :meth:`data` gives for the component at that path,
    as the nodes :meth:`build` makes of it. A path this build does not know is a located
    ``etl.reference`` warning, and nothing is shown."""

    required_arguments = 1
    #: The name its records are kept under (see :data:`KINDS`).
    kind: ClassVar[str] = ""

    @staticmethod
    def data(catalog: Catalog, component: Component) -> object:
        """What the nodes are built from: pure data, fingerprinted by ``stable_text``."""
        raise NotImplementedError

    def build(self, data: Any, messages: list[nodes.system_message]) -> list[nodes.Node]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        path = self.arguments[0]
        catalog, component = data_of(self.env).catalog, component_at(self.env, path)
        data = self.data(catalog, component) if component else None
        BUILT.note(self.env, f"{self.kind} {path}", stable_text(data))
        if component is None:
            logger.warning(
                "%s: no component %s in this build",
                self.name,
                path,
                location=self.get_location(),
                type="etl",
                subtype="reference",
            )
            return []
        messages: list[nodes.system_message] = []
        found = self.build(data, messages)
        for located in (inner for node in found for inner in node.findall(nodes.Element)):
            self.set_source_info(located)
        return [*found, *messages]


# --- the directives -------------------------------------------------------------------------


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


class _Facts(ComponentData):
    def build(self, data: list[Fact], messages: list[nodes.system_message]) -> list[nodes.Node]:
        if not data:
            return []
        found = nodes.field_list()
        for fact in data:
            value = nodes.paragraph("", "", *inline_nodes(self, fact.value, messages))
            found += nodes.field(
                "", nodes.field_name(fact.name, fact.name), nodes.field_body("", value)
            )
        return [found]


class ConnectionFacts(_Facts):
    """``.. etl-connection:: <dotted path>``: the connection facts of the hook at that path
    (nothing for a component without a connection)."""

    kind = "connection"

    @staticmethod
    def data(catalog: Catalog, component: Component) -> list[Fact]:
        return connection_facts(component.connection) if component.connection else []


class Relations(_Facts):
    """``.. etl-relations:: <dotted path>``: the systems the component at that path moves data
    between, the hooks it uses, the components that use it and its bases."""

    kind = "relations"

    @staticmethod
    def data(catalog: Catalog, component: Component) -> list[Fact]:
        return relation_facts(component, [c.path for c in catalog.used_by(component.path)])


# --- incremental and parallel builds ----------------------------------------------------------


#: Each kind of directive by the name it records under.
KINDS = {d.kind: d for d in (Parameters, ConnectionFacts, Relations)}


def _remade(env: BuildEnvironment, key: str) -> str:
    kind, _, path = key.partition(" ")
    component = component_at(env, path)
    directive = KINDS.get(kind)
    catalog = data_of(env).catalog
    return stable_text(directive.data(catalog, component) if directive and component else None)


#: ``docname -> {"<kind> <component path>" -> (inputs, digest of its data)}``.
BUILT = Renders("component_data", _remade)
