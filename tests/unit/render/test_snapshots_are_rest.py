"""Every snapshot of generated reST parses cleanly: docutils reports nothing at warning level
or above. Sphinx's roles and directives, and the extension's, are stand-ins that accept any
option and parse the content of those whose content is reST."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives.misc import Class

HERE = Path(__file__).parent
SNAPSHOTS = sorted(HERE.glob("test_*/*.rst"))

ROLES = ("py:class", "class", "etl-class", "etl-badge", "etl-path", "etl-id", "doc", "ref")
#: Directives whose content is reST (parsed), and those whose content is code (kept).
NESTED = (
    "etl-docstring",
    "etl-upstream-docstring",
    "etl-pyclass",
    "py:class",
    "only",
    "rubric",
    "versionadded",
)
LITERAL = (
    "etl-parameters",
    "etl-connection",
    "etl-relations",
    "code-block",
    "graphviz",
    "operator-catalog",
    "dag-catalog",
    "toctree",
    "applicable-agreements",
    "etl-rubric",
    "etl-import",
)


class AnyOption(dict[str, Any]):
    def __missing__(self, key: str) -> Any:
        return directives.unchanged


def stand_in(nested: bool) -> type[Directive]:
    class StandIn(Directive):
        optional_arguments = 1
        final_argument_whitespace = True
        has_content = True
        option_spec = AnyOption()

        def run(self) -> list[nodes.Node]:
            node = nodes.container()
            if nested:
                self.state.nested_parse(self.content, self.content_offset, node)
            return [node]

    return StandIn


def role(name: str, rawtext: str, text: str, lineno: int, inliner: Any, *args: Any) -> Any:
    return [nodes.literal(rawtext, text)], []


@contextlib.contextmanager
def stand_ins() -> Iterator[None]:
    """The stand-ins registered with docutils for one parse, its registries restored after
    (as Sphinx's own ``docutils_namespace`` does), so no other test sees them."""
    registries = (directives._directives, roles._roles)
    saved = [dict(registry) for registry in registries]
    try:
        for name in ROLES:
            roles.register_local_role(name, role)
        for name in NESTED:
            directives.register_directive(name, stand_in(nested=True))
        for name in LITERAL:
            directives.register_directive(name, stand_in(nested=False))
        # Sphinx's name for docutils' class directive (docutils knows it itself from 0.22).
        directives.register_directive("rst-class", Class)
        yield
    finally:
        for registry, before in zip(registries, saved, strict=True):
            registry.clear()
            registry.update(before)


def problems(text: str) -> list[str]:
    """What docutils reports at warning level or above, one entry per message."""
    stream = io.StringIO()
    with stand_ins():
        publish_doctree(
            text,
            settings_overrides={"report_level": 2, "halt_level": 5, "warning_stream": stream},
        )
    return [line for line in stream.getvalue().splitlines() if line.startswith("<string>:")]


def test_there_are_snapshots() -> None:
    """The glob finds the snapshot folders (a rename would silently check nothing)."""
    assert len(SNAPSHOTS) >= 14


@pytest.mark.parametrize("path", SNAPSHOTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_snapshot_parses_cleanly(path: Path) -> None:
    """No warnings or errors from docutils (hyperlinks, tables, lists, fields, titles)."""
    assert problems(path.read_text(encoding="utf-8")) == []


def test_the_check_catches_broken_rest() -> None:
    """A malformed table and an anonymous-link mismatch are reported."""
    table = ".. list-table::\n\n   * - a\n   * - b\n     - c\n"
    assert len(problems(table)) == 1
    assert len(problems("`x <https://x.org>`__ and `y`__\n")) == 1
