"""Markup the generated pages use where Sphinx's own directives would need options:
``etl-rubric`` (a section's heading), ``etl-import`` (a component's import line) and
``etl-pyclass`` (the class its docstring is documented under).

Docutils reads a directive's options block with a state machine of its own, about 0.8 ms a
directive; at four section headings and an import line a page, that was seconds of every
cold build's reading. These take everything as arguments and build the very nodes
``rubric`` and ``code-block`` would.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.domains.python import PyClasslike
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

#: ``Title <key>``: the key names the class, ``etl-rubric-<key>``.
_TITLE_KEY = re.compile(r"(?P<title>.+?)\s*<(?P<key>[a-z0-9][a-z0-9-]*)>", re.DOTALL)


class EtlRubric(SphinxDirective):
    """``.. etl-rubric:: Title <key>``: a generated page's section heading, as
    ``.. rubric:: Title`` with ``:class: etl-rubric-<key>`` and ``:heading-level: 2``."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        argument = self.arguments[0]
        match = _TITLE_KEY.fullmatch(argument)
        if match is None:
            logger.warning(
                "etl-rubric: %r is not 'Title <key>'; shown as a heading without a class",
                argument,
                location=self.get_location(),
                type="etl",
                subtype="option",
            )
        title = match["title"] if match else argument
        classes = [f"etl-rubric-{match['key']}"] if match else []
        text, messages = self.parse_inline(title, lineno=self.lineno)
        rubric = nodes.rubric(title, "", *text, classes=classes)
        rubric["heading-level"] = 2
        self.set_source_info(rubric)
        return [rubric, *messages]


class EtlImport(SphinxDirective):
    """``.. etl-import:: module Name``: ``from module import Name`` as a Python code block
    with the class ``etl-import`` (``.. code-block:: python`` with ``:class: etl-import``)."""

    required_arguments = 2

    def run(self) -> list[nodes.Node]:
        module, name = self.arguments
        code = f"from {module} import {name}"
        literal = nodes.literal_block(code, code, classes=["etl-import"])
        literal["force"] = False
        literal["language"] = "python"
        literal["highlight_args"] = {}
        self.set_source_info(literal)
        return [literal]


class EtlPyClass(PyClasslike):
    """``.. etl-pyclass:: module Name``: ``.. py:class:: Name`` with ``:module: module`` and
    ``:no-contents-entry:`` (a component page's heading is its entry), its content the same."""

    def run(self) -> list[nodes.Node]:
        arguments: list[str] = self.arguments  # type: ignore[has-type]
        options: dict[str, Any] = self.options  # type: ignore[has-type]
        module, _, name = arguments[0].partition(" ")
        # Sphinx's own directive from here on: its domain and object type come from the name.
        self.name, self.arguments = "py:class", [name.strip()]
        self.options = {"module": module, "no-contents-entry": None, **options}
        return super().run()
