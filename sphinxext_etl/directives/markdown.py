"""The ``etl-markdown`` directive: Markdown (a DAG's or task's ``doc_md``) as docutils nodes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from markdown_it import MarkdownIt
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.base import DocutilsRenderer
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode

logger = logging.getLogger(__name__)

#: A target another site serves: it has a scheme (``https:``, ``mailto:``) or is ``//host``.
_EXTERNAL = re.compile(r"[a-z][a-z0-9+.-]*:|//", re.IGNORECASE)


def heading_level(argument: str | None) -> int:
    """``3`` -> 3: the HTML heading level that the Markdown's ``#`` headings are shown at."""
    return int(directives.choice(argument, ("1", "2", "3", "4", "5", "6")))


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


class EtlMarkdown(SphinxDirective):
    """``.. etl-markdown::`` renders its content, CommonMark with GFM tables, in place:
    ``:heading-level:`` sets the level of ``#`` headings, ``:class:`` the container's classes."""

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "class": directives.class_option,
        "heading-level": heading_level,
    }

    def run(self) -> list[nodes.Node]:
        self.assert_has_content()
        container = nodes.container(classes=["etl-markdown", *self.options.get("class", [])])
        self.set_source_info(container)
        # CommonMark, as Airflow's UI reads doc_md, and GFM tables.
        parser = MarkdownIt("commonmark", renderer_cls=FragmentRenderer).enable("table")
        renderer = cast(FragmentRenderer, parser.renderer)
        renderer.top_heading_level = self.options.get("heading-level")
        # commonmark_only: a ```{name} fence stays code, never a MyST directive (such as raw).
        config = MdParserConfig(commonmark_only=True)
        options = {"myst_config": config, "document": self.state.document}
        renderer.setup_render({**parser.options, **options, "current_node": container}, {})
        text = "\n".join(self.content)
        try:
            renderer.nested_render_text(text, self.content_offset)
        except Exception as error:
            # A renderer bug on one odd doc_md must not stop a site's build: show it as written.
            logger.warning(
                "Markdown could not be rendered (%s: %s); it is shown as written",
                type(error).__name__,
                error,
                location=self.get_location(),
                type="etl",
                subtype="markdown",
            )
            container.clear()
            container += nodes.literal_block(text, text)
        return [container]
