"""The ``etl-parameters`` directive: the definition list of a component page's parameters,
parsed without docutils' nested state machines (see :mod:`.lines`).

The list the template writes is regular, a term line and then an indented description of
one-line paragraphs, so this directive reads that shape itself. A definition that is anything
else (a site's own template may write a list there) is parsed the usual way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.directives.lines import paragraphs, simple

#: ``(term line, its offset in the content, the definition's lines, their first offset)``
Entry = tuple[str, int, list[str], int]


def entries(lines: list[str]) -> Iterator[Entry]:
    """The items of a definition list written as one: a line at the left margin is a term,
    the indented lines after it (blank ones included) are its definition, dedented."""
    term: tuple[str, int] | None = None
    body: list[str] = []
    for index, line in enumerate([*lines, "end"]):
        if line and not line[0].isspace():
            if term is not None:
                while body and not body[-1].strip():
                    body.pop()
                yield term[0], term[1], _dedented(body), term[1] + 1
            term, body = (line, index), []
        elif term is not None:
            body.append(line)


def _dedented(lines: list[str]) -> list[str]:
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return [line[indent:] for line in lines]


class Parameters(SphinxDirective):
    """``.. etl-parameters::`` with a definition list as its content: the same nodes as the
    list itself would give (a ``definition_list`` with the ``etl-parameters`` class)."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        found = nodes.definition_list(classes=["etl-parameters", *self.options.get("class", [])])
        self.set_source_info(found)
        messages: list[nodes.system_message] = []
        for term_line, term_offset, body, body_offset in entries(list(self.content)):
            line = self.content_offset + term_offset + 1
            term_nodes, problems = self.state.inline_text(term_line, line)
            messages.extend(problems)
            term = nodes.term(term_line, "", *term_nodes)
            definition = nodes.definition()
            if simple(body):
                definition += paragraphs(self, body, line + 1, messages)
            else:
                source = self.content.source(term_offset) if self.content else None
                content = StringList(body, source=source)
                self.state.nested_parse(content, self.content_offset + body_offset, definition)
            item = nodes.definition_list_item("", term, definition)
            item.source, item.line = term.source, term.line = self.get_source_info()[0], line
            found += item
        return [found, *messages]
