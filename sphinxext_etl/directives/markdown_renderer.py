"""MyST's Markdown renderer, changed for Markdown inside a page (``etl-markdown``).

A module of its own so that markdown-it and MyST are imported only when a page holds Markdown:
a build that reads none, such as a no-change rebuild, never pays for them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from myst_parser.mdit_to_docutils.base import DocutilsRenderer
from sphinx.util import logging

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode

logger = logging.getLogger(__name__)

#: A target another site serves: it has a scheme (``https:``, ``mailto:``) or is ``//host``.
_EXTERNAL = re.compile(r"[a-z][a-z0-9+.-]*:|//", re.IGNORECASE)


class FragmentRenderer(DocutilsRenderer):
    """MyST's renderer for Markdown inside a page: headings become rubrics, raw HTML text,
    thematic breaks nothing, and only links and images to other sites keep their targets."""

    #: The level of ``#``, deeper headings one more each (up to 6); None leaves rubrics plain.
    top_heading_level: int | None = None

    def render_heading(self, token: SyntaxTreeNode) -> None:
        # A section here would cut the page's own sections wherever the directive sits.
        rubric = nodes.rubric()
        if self.top_heading_level is not None:
            rubric["heading-level"] = min(6, self.top_heading_level + int(token.tag[1]) - 1)
        self.add_line_and_source_path(rubric, token)
        with self.current_node_context(rubric, append=True):
            self.render_children(token)

    # Raw HTML is shown as written, never passed on: a doc_md must not put markup in the page.
    def render_html_block(self, token: SyntaxTreeNode) -> None:
        paragraph = nodes.paragraph("", token.content.rstrip("\n"))
        self.add_line_and_source_path(paragraph, token)
        self.current_node.append(paragraph)

    def render_html_inline(self, token: SyntaxTreeNode) -> None:
        self.current_node.append(nodes.Text(token.content))

    def render_hr(self, token: SyntaxTreeNode) -> None:
        """Nothing: docutils allows a transition only between sections' body elements."""

    def render_link(self, token: SyntaxTreeNode) -> None:
        href = str(token.attrGet("href") or "")
        if not self._external(href, "link"):
            self.render_children(token)
            return
        reference = nodes.reference(refuri=href)
        if token.attrGet("title"):
            reference["reftitle"] = str(token.attrGet("title"))
        self.add_line_and_source_path(reference, token)
        with self.current_node_context(reference, append=True):
            self.render_children(token)

    def render_image(self, token: SyntaxTreeNode) -> None:
        if self._external(str(token.attrGet("src") or ""), "image"):
            super().render_image(token)
        else:
            self.current_node.append(nodes.Text(self.renderInlineAsText(token.children or [])))

    def _external(self, target: str, what: str) -> bool:
        """Whether ``target`` is another site's; if not, warn that only the text is kept:
        a path relative to Airflow's UI leads nowhere in these pages."""
        if _EXTERNAL.match(target):
            return True
        logger.warning(
            "Markdown %s %r is not a URL: only its text is shown",
            what,
            target,
            location=self.current_node,
            type="etl",
            subtype="markdown",
        )
        return False
