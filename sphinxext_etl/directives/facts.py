"""The ``etl-connection`` and ``etl-relations`` directives: a hook's connection facts and a
component's relations as a field list, built as nodes from the catalog where the page is
read (text taken from code is parsed as inline markup, as the page's reST had it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from sphinxext_etl.directives.component_data import ComponentData
from sphinxext_etl.directives.tables import inline_nodes
from sphinxext_etl.render.connection import Fact, connection_facts
from sphinxext_etl.render.reference import relation_facts

if TYPE_CHECKING:
    from sphinxext_etl.model import Catalog, Component


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
