"""One-line paragraphs read without docutils' nested state machines.

docutils parses each cell of a list table in a state machine of its own that it builds afresh:
on a catalog of 1,500 components that is 7,500 of them, a large part of the time Sphinx spends
reading the page. What the catalog template puts there is regular, one-line paragraphs apart
by blank lines, so ``etl-list-table`` recognises that shape and parses only the inline markup
of each line (the same nodes); anything else is parsed the usual way.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.render.text import is_paragraph


def simple(lines: list[str]) -> bool:
    """Whether ``lines`` are one-line paragraphs apart by blank lines, and nothing else."""
    # Lines alternate: a paragraph at every even index, a blank line at every odd one.
    return all(
        is_paragraph(line) if index % 2 == 0 else not line.strip()
        for index, line in enumerate(lines)
    )


def paragraphs(
    directive: SphinxDirective, lines: list[str], line: int, messages: list[nodes.system_message]
) -> list[nodes.paragraph]:
    """The paragraphs of :func:`simple` ``lines`` whose first is line ``line`` of the source;
    inline markup problems are added to ``messages``."""
    source = directive.get_source_info()[0]
    found = []
    for offset, text in enumerate(lines):
        if not text.strip():
            continue
        children, problems = directive.state.inline_text(text, line + offset)
        messages.extend(problems)
        paragraph = nodes.paragraph(text, "", *children)
        paragraph.source, paragraph.line = source, line + offset
        found.append(paragraph)
    return found
