"""The ``etl-markdown`` directive: Markdown (a DAG's or task's ``doc_md``) as docutils nodes.

The renderer (``markdown_renderer``) and markdown-it are imported when the directive runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def heading_level(argument: str | None) -> int:
    """``3`` -> 3: the HTML heading level that the Markdown's ``#`` headings are shown at."""
    return int(directives.choice(argument, ("1", "2", "3", "4", "5", "6")))


class EtlMarkdown(SphinxDirective):
    """``.. etl-markdown::`` renders its content, CommonMark with GFM tables, in place:
    ``:heading-level:`` sets the level of ``#`` headings, ``:class:`` the container's classes."""

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "class": directives.class_option,
        "heading-level": heading_level,
    }

    def run(self) -> list[nodes.Node]:
        # Imported here: a build that reads no Markdown (a no-change rebuild) never loads them.
        from markdown_it import MarkdownIt
        from myst_parser.config.main import MdParserConfig

        from sphinxext_etl.directives.markdown_renderer import FragmentRenderer

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
