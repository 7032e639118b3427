"""Nodes built from data, for the directives whose content is data (the component and DAG
catalogs, a component page's facts): what ``list-table`` and inline markup would give,
without reST to parse but docstring prose; and the records that read a page again when what
such a directive showed would now come out differently."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.build import roles
from sphinxext_etl.build.data import DocRecords, data_of, digest
from sphinxext_etl.build.inline import text_runs
from sphinxext_etl.render.text import Piece

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: The node of each :class:`~sphinxext_etl.render.text.Inline` style that is one node of its
#: text (``prose`` is parsed; ``class`` and ``etl-class`` are references).
STYLED: dict[str, type[nodes.TextElement]] = {
    "literal": nodes.literal,
    "emphasis": nodes.emphasis,
    "strong": nodes.strong,
    "path": roles.dotted_path,
}


def inline_nodes(
    directive: SphinxDirective, pieces: Iterable[Piece], messages: list[nodes.system_message]
) -> list[nodes.Node]:
    """The nodes of a paragraph's pieces, neighbouring text as one text node: only prose is
    parsed (its problems go to ``messages``)."""
    parts: list[str | nodes.Node] = []
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(piece)
        elif piece.style == "prose":
            children, problems = directive.parse_inline(piece.text)
            messages.extend(problems)
            parts += children
        elif piece.style == "class":
            parts.append(python_class(directive, piece.text, piece.target))
        elif piece.style == "etl-class":
            parts.append(roles.class_reference(piece.target, piece.text))
        else:
            parts.append(STYLED[piece.style](piece.text, piece.text))
    return text_runs(parts)


def python_class(directive: SphinxDirective, title: str, path: str) -> addnodes.pending_xref:
    """What ``:py:class:`title <path>``` gives where ``directive`` is."""
    xref = addnodes.pending_xref(
        "",
        refdoc=directive.env.docname,
        refdomain="py",
        reftype="class",
        refexplicit=True,
        refwarn=False,
        reftarget=path,
    )
    xref["py:module"] = directive.env.ref_context.get("py:module")
    xref["py:class"] = directive.env.ref_context.get("py:class")
    xref += nodes.literal(title, title, classes=["xref", "py", "py-class"])
    return xref


class CatalogDirective(SphinxDirective):
    """What the ``operator-catalog`` and ``dag-catalog`` directives share."""

    has_content = False

    def warn(self, message: str, *args: object) -> None:
        """An ``etl.option`` warning at the directive, its message led by its name."""
        logger.warning(
            f"{self.name}: {message}",
            *args,
            location=self.get_location(),
            type="etl",
            subtype="option",
        )

    def container(self, content: Iterable[nodes.Element]) -> nodes.container:
        """What the catalog shows, in the container that :mod:`.packed` packs."""
        container = nodes.container("", *content, classes=["etl-catalog"])
        self.set_source_info(container)
        return container


def nothing_matches(what: str) -> nodes.paragraph:
    text = f"No {what} match this catalog's filters."
    return nodes.paragraph("", "", nodes.emphasis(text, text))


class Renders(DocRecords[dict[Any, tuple[str, str]]]):
    """``docname -> {key -> (inputs, digest)}``: what each directive of one kind showed on a
    page, by its key (a query, a component's path), and the build's ``inputs_key`` it came
    from. The page is read again when ``remake(env, key)``, the text the directive would show
    now, differs: worked out only where the inputs changed (or have no key)."""

    def __init__(self, kind: str, remake: Callable[[BuildEnvironment, Any], str]) -> None:
        super().__init__(kind, self.changed)
        self.remake = remake

    def note(self, env: BuildEnvironment, key: Any, text: str) -> None:
        renders = self.of(env).setdefault(env.docname, {})
        renders[key] = (data_of(env).inputs_key, digest(text))

    def changed(self, env: BuildEnvironment, renders: dict[Any, tuple[str, str]]) -> bool:
        inputs = data_of(env).inputs_key
        for key, (old_inputs, old) in list(renders.items()):
            if inputs and old_inputs == inputs:
                continue
            if digest(self.remake(env, key)) != old:
                return True
            # The same from the new inputs: noted, so that later builds trust it without
            # remaking it (kept when the env is saved, i.e. when any page was read).
            renders[key] = (inputs, old)
        return False
