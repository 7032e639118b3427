"""What a component page shows from the catalog, built as nodes where the page is read: the
base of ``etl-parameters``, ``etl-connection`` and ``etl-relations``, and the records that
read a page again when what it built would now come out differently (the generated page holds
only the component's path, so its text does not change)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.build.data import data_of, stable_text
from sphinxext_etl.directives.docstring import component_at
from sphinxext_etl.directives.tables import Renders

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from sphinxext_etl.model import Catalog, Component

logger = logging.getLogger(__name__)


class ComponentData(SphinxDirective):
    """``.. <name>:: <dotted path>``: what :meth:`data` gives for the component at that path,
    as the nodes :meth:`build` makes of it. A path this build does not know is a located
    ``etl.reference`` warning, and nothing is shown."""

    required_arguments = 1
    #: Each kind of directive by the name it records under.
    kinds: ClassVar[dict[str, type[ComponentData]]] = {}
    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            ComponentData.kinds[cls.kind] = cls

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
        for node in found:
            for located in node.findall(lambda n: not isinstance(n, nodes.Text)):
                self.set_source_info(located)
        return [*found, *messages]


def _remade(env: BuildEnvironment, key: str) -> str:
    kind, _, path = key.partition(" ")
    component = component_at(env, path)
    directive = ComponentData.kinds.get(kind)
    catalog = data_of(env).catalog
    return stable_text(directive.data(catalog, component) if directive and component else None)


#: ``docname -> {"<kind> <component path>" -> (inputs, digest of its data)}``.
BUILT = Renders("component_data", _remade)
