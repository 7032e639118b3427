"""The ``etl-docstring`` directive: a docstring rendered through autodoc's event and napoleon,
its structure contained so that any docstring parses, with roles and directives the site lacks
degraded to readable text (see :mod:`.foreign`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from docutils.utils import Reporter
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.build.data import data_of
from sphinxext_etl.build.foreign_markup import (
    DOCSTRING_PROBLEMS,
    Problem,
    resolve_externally_as_usual,
    tolerant_markup,
)
from sphinxext_etl.collect.docstrings import to_rest
from sphinxext_etl.config import etl_config
from sphinxext_etl.model import Component, source_location
from sphinxext_etl.render.docstrings import blocks, contain_structure, without_parameter_fields
from sphinxext_etl.render.reference import listed_parameters
from sphinxext_etl.render.text import first_line

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def collected_messages(state: Any) -> Iterator[list[nodes.system_message]]:
    """Route docutils' messages into a list while one docstring is parsed, so that a
    provider's mistakes are contained instead of reported against the generated page.
    docutils 0.22 reports through the document's reporter, 0.21 through the parser's memo."""
    document: nodes.document = state.document
    original = document.reporter
    quiet = Reporter(original.source, Reporter.SEVERE_LEVEL + 1, Reporter.SEVERE_LEVEL + 1, False)
    if hasattr(original, "get_source_and_line"):
        quiet.get_source_and_line = original.get_source_and_line
    messages: list[nodes.system_message] = []
    quiet.attach_observer(messages.append)
    document.reporter = state.memo.reporter = quiet
    try:
        yield messages
    finally:
        document.reporter = state.memo.reporter = original


def component_at(env: BuildEnvironment, path: str) -> Component | None:
    """The catalog's component at ``path`` (the catalog's own index)."""
    return data_of(env).catalog.by_path().get(path)


def _problems(messages: Iterable[nodes.system_message]) -> list[str]:
    return [
        " ".join(m.children[0].astext().split()) if m.children else m.astext()
        for m in messages
        if m["level"] >= Reporter.WARNING_LEVEL
    ]


class ComponentDocstring(SphinxDirective):
    """``.. etl-docstring:: <dotted path>`` with the docstring as content.

    The lines go through ``autodoc-process-docstring`` (so napoleon and the site's own hooks
    see them, with ``obj=None`` as the class is never imported here), then are parsed with
    their structure contained: section titles become rubrics, a ``::`` with no block after it
    a colon, and a block that still does not parse is shown as preformatted text. Fields for
    the parameters the page's Parameters section lists are left out, as it shows them. Pass
    ``:upstream:`` for provider docstrings: their problems are counted in the build's summary
    rather than warned about, as the team cannot fix them."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "what": directives.unchanged,
        "upstream": directives.flag,
    }
    #: Always a provider's docstring, as with ``:upstream:``.
    upstream = False

    def processed_lines(self) -> list[str]:
        what = self.options.get("what", "class")
        lines = list(self.content)
        if "napoleon_use_param" not in self.config:
            # Without napoleon loaded its event handler is absent: convert as it would.
            lines = to_rest("\n".join(lines)).splitlines()
        if "autodoc-process-docstring" in self.env.events.events:
            # Only when a loaded extension (autodoc) declared the event: not loaded otherwise.
            from sphinx.ext.autodoc import Options

            self.env.events.emit(
                "autodoc-process-docstring", what, self.arguments[0], None, Options(), lines
            )
        return lines

    def without_listed_parameters(self, lines: list[str]) -> list[str]:
        """The lines without the fields of the parameters the page already lists: only on a
        page with a Parameters section (a site's own template may leave it out), and only
        for the names it lists, so a stale ``:param:`` still shows."""
        listed = any(
            "etl-rubric-parameters" in rubric["classes"]
            for rubric in self.state.document.findall(nodes.rubric)
        )
        if not listed:
            return lines
        component = component_at(self.env, self.arguments[0])
        names = [p.name for p in listed_parameters(component)] if component else []
        return without_parameter_fields(lines, names)

    def parse_lines(self, lines: list[str], offset: int) -> tuple[list[Node], list[str]]:
        text = StringList(lines, source=self.get_source_info()[0])
        with collected_messages(self.state) as messages:
            parsed = self.parse_text_to_nodes(text, offset=offset)
        return parsed, _problems(messages)

    def parse_contained(self, lines: list[str]) -> tuple[list[Node], list[Problem]]:
        """The parsed docstring, and the blocks shown preformatted with their problems."""
        parsed, problems = self.parse_lines(lines, self.content_offset)
        if not problems:
            return parsed, []
        result: list[Node] = []
        failed: list[Problem] = []
        for start, block in blocks(lines):
            block_nodes, block_problems = self.parse_lines(block, self.content_offset + start)
            if not block_problems:
                result.extend(block_nodes)
                continue
            raw = "\n".join(line.rstrip() for line in block).strip("\n")
            result.append(
                nodes.literal_block(raw, raw, language="text", classes=["etl-docstring-raw"])
            )
            failed.extend(Problem(self.arguments[0], message, raw) for message in block_problems)
        return result, failed

    def run(self) -> list[Node]:
        data = data_of(self.env)
        lines = contain_structure(self.without_listed_parameters(self.processed_lines()))
        with tolerant_markup(data.foreign_roles, data.foreign_directives):
            parsed, problems = self.parse_contained(lines)
        upstream = self.upstream or "upstream" in self.options
        if upstream and not etl_config(self.config).provider_docstring_warnings:
            DOCSTRING_PROBLEMS.of(self.env).setdefault(self.env.docname, []).extend(problems)
        else:
            for problem in problems:
                warn_docstring_problem(self.env, problem)
        # Component pages document no members: a Python reference in any docstring may name
        # one. A provider's other references are handled in :func:`upstream_ref_as_text`.
        for node in parsed:
            for xref in node.findall(addnodes.pending_xref):
                if xref.get("refdomain") == "py":
                    xref["etl_member"] = True
                if upstream:
                    resolve_externally_as_usual(xref)
        return parsed


class UpstreamDocstring(ComponentDocstring):
    """``.. etl-upstream-docstring:: <dotted path>``: ``etl-docstring`` with ``:upstream:``,
    without an options block (which docutils parses slowly, on every generated page)."""

    upstream = True


def docstring_location(env: BuildEnvironment, problem: Problem) -> str | tuple[str, int | None]:
    """The Python source line of the block that failed, where the component is known;
    else the generated page."""
    component = component_at(env, problem.path)
    if component is None or not component.source_file:
        return (env.docname, None)
    line = component.docstring_line or component.source_line
    first = first_line(problem.block).strip()
    try:
        source = Path(component.source_file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        source = []
    found = (n for n, text in enumerate(source, 1) if n >= line and first and text.strip() == first)
    return source_location(component.source_file, next(found, line))


def warn_docstring_problem(env: BuildEnvironment, problem: Problem) -> None:
    logger.warning(
        "the docstring of %s does not parse (%s); the block is shown as preformatted text",
        problem.path,
        problem.message,
        location=docstring_location(env, problem),
        type="etl",
        subtype="docstring",
    )
