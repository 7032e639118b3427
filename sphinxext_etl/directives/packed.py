"""Catalog tables saved packed in the page's doctree and unpacked when the page is resolved.

For every page it writes, a theme's navigation makes Sphinx unpickle the root document's
doctree and walk all of it for toctrees (``global_toctree_for_doc``; sphinx-doc/sphinx#6909).
A catalog of 1,500 components on the root page is 35,000 nodes: walked once per page, that
was 40% of writing 1,552 pages. So once everything that reads a fresh doctree has read it
(``doctree-read``, last), each catalog's table goes into the saved doctree as one node holding
its pickled subtree, and the first post-transform puts it back: references are resolved
after that, and the search index and every builder see the whole page.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxext_etl.build.data import DocRecords, reaches

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The class of the containers the ``operator-catalog`` and ``dag-catalog`` directives return.
PACKED_CLASS = "etl-catalog"


class etl_packed(nodes.General, nodes.Element):
    """A subtree, pickled in ``node["subtree"]``, until the page is resolved."""


def _nodes_held(value: Any) -> Iterator[nodes.Node]:
    """The nodes in one of a document's registers (``ids``, ``refnames`` ...)."""
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        for node in item if isinstance(item, list) else (item,):
            if isinstance(node, nodes.Node):
                yield node


def _registered(document: nodes.document) -> set[int]:
    """Nodes the document's registers point to (ids, named references ...): a subtree holding
    one (a ``problematic`` node, where a docstring's summary has broken inline markup) stays
    in the doctree, where docutils and Sphinx find it."""
    return {
        id(node)
        for name, value in vars(document).items()
        if name not in {"children", "parent"}
        for node in _nodes_held(value)
    }


def pack(node: nodes.Element, registered: set[int]) -> bool:
    """Replace ``node`` by an :class:`etl_packed` holding it; False when it must stay."""
    subtree = list(node.findall())
    if any(id(n) in registered for n in subtree):
        return False
    placeholder = etl_packed()
    placeholder.source, placeholder.line = node.source, node.line
    node.replace_self(placeholder)
    node.parent = None
    for inner in subtree:
        # Each node points at the document; unset, it asks its parent once it is back.
        inner.document = None
    placeholder["subtree"] = pickle.dumps(node, pickle.HIGHEST_PROTOCOL)
    return True


def pack_tables(doctree: nodes.document) -> bool:
    """Pack each catalog's table that may be packed; whether any was."""
    containers = [
        node for node in doctree.findall(nodes.container) if PACKED_CLASS in node["classes"]
    ]
    registered = _registered(doctree) if containers else set()
    return any([pack(container, registered) for container in containers])


def pack_catalogs(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after every other handler: pack each catalog's table, and note the
    page for :class:`UnpackCatalogs`."""
    if pack_tables(doctree):
        PACKED.of(app.env)[app.env.docname] = True


#: ``docname -> True`` for the pages that packed a table when they were read: only those
#: (and the documents that builders such as singlehtml assemble from them) are unpacked.
PACKED: DocRecords[bool] = DocRecords("packed_catalogs", lambda env, record: False)


class UnpackCatalogs(SphinxPostTransform):
    """Put each packed subtree back, before any other post-transform (Sphinx's run at 5 and
    up) resolves references or drops ``only`` nodes in it."""

    default_priority = 1

    def run(self, **kwargs: Any) -> None:
        if not reaches(self.env, self.env.docname, PACKED.of(self.env)):
            return
        for placeholder in list(self.document.findall(etl_packed)):
            placeholder.replace_self(pickle.loads(placeholder["subtree"]))


def setup(app: Sphinx) -> None:
    app.add_node(etl_packed)
    app.connect("doctree-read", pack_catalogs, priority=900)
    app.add_post_transform(UnpackCatalogs)
