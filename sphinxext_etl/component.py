"""The ``etl-docstring`` directive: a docstring rendered through autodoc's event and napoleon,
with roles and directives the site lacks degraded to readable text."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.languages import en
from docutils.statemachine import StringList
from docutils.utils import Reporter
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl import docstrings, templating

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Directives whose content is for tools, not readers: dropped without a word.
SILENT_DIRECTIVES = frozenset({"spelling:word-list", "spelling"})

_ROLE = re.compile(r"(?<![\w`\\]):(?P<name>[A-Za-z][\w+.-]*(?::[A-Za-z][\w+.-]*)*):`")
_DIRECTIVE = re.compile(r"^\s*\.\.\s+(?P<name>[A-Za-z][\w+.:-]*?)::", re.M)


class _Options(dict[str, Any]):
    """Stands in for autodoc's options: missing options read as ``None``."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name.replace("_", "-"))


# --- which markup the site lacks (decided once, at builder-inited) ---------------------------


def markup_names(text: str) -> tuple[set[str], set[str]]:
    """The role and directive names a piece of reST uses."""
    return (
        {m["name"].lower() for m in _ROLE.finditer(text)},
        {m["name"].lower() for m in _DIRECTIVE.finditer(text)},
    )


def _domain_has(env: BuildEnvironment, name: str, element: str, default: str | None) -> bool:
    domain_name, _, local = name.rpartition(":")
    candidates: list[Domain] = []
    if domain_name:
        if domain_name in env.domains:
            candidates.append(env.domains[domain_name])
    else:
        if default and default in env.domains:
            candidates.append(env.domains[default])
        candidates.append(env.domains["std"])
    lookup = "role" if element == "role" else "directive"
    return any(getattr(domain, lookup)(local) is not None for domain in candidates)


def role_known(app: Sphinx, name: str) -> bool:
    if name.startswith(("external:", "external+")):
        if "sphinx.ext.intersphinx" not in app.extensions:
            return False
        inventory = name.removeprefix("external+").partition(":")[0]
        return name.startswith("external:") or inventory in app.config.intersphinx_mapping
    if _domain_has(app.env, name, "role", app.config.primary_domain):
        return True
    return roles.role(name, en, 0, Reporter("", 5, 5))[0] is not None


def directive_known(app: Sphinx, name: str) -> bool:
    if _domain_has(app.env, name, "directive", app.config.primary_domain):
        return True
    stand_in = SimpleNamespace(reporter=Reporter("", 5, 5), current_line=0)
    return directives.directive(name, en, stand_in)[0] is not None


def note_foreign_markup(app: Sphinx, texts: Iterable[tuple[str, str]]) -> None:
    """Find the roles and directives that ``(docname, reST)`` pairs use but the site lacks;
    warn once per name (at its first page) and remember them for :class:`ComponentDocstring`."""
    first_use: dict[tuple[str, str], str] = {}
    for docname, text in texts:
        role_names, directive_names = markup_names(text)
        for kind, names in (("role", role_names), ("directive", directive_names)):
            for name in names:
                first_use.setdefault((kind, name), docname)
    unknown_roles = {n for (k, n) in first_use if k == "role" and not role_known(app, n)}
    unknown_directives = {
        n for (k, n) in first_use if k == "directive" and not directive_known(app, n)
    }
    for kind, name in sorted(first_use):
        if name not in (unknown_roles if kind == "role" else unknown_directives):
            continue
        if name in SILENT_DIRECTIVES:
            continue
        shown = f":{name}:" if kind == "role" else f".. {name}::"
        logger.warning(
            "docstrings use the %s %s, which this site does not define; it is rendered as "
            "plain text (load the extension that defines it, or map its inventory)",
            kind,
            shown,
            location=(first_use[kind, name], None),
            type="etl",
            subtype="docstring",
        )
    app.env.etl_foreign_markup = (  # type: ignore[attr-defined]
        frozenset(unknown_roles),
        frozenset(unknown_directives),
    )


# --- rendering ----------------------------------------------------------------------------------


def foreign_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[Node], list[nodes.system_message]]:
    return [nodes.literal(rawtext, templating.role_text(text), classes=["etl-foreign"])], []


class ForeignDirective(Directive):
    """Keeps the readable content of a directive the site lacks; drops its arguments."""

    has_content = True
    optional_arguments = 99
    final_argument_whitespace = True

    def run(self) -> list[Node]:
        if self.name.lower() in SILENT_DIRECTIVES or not self.content:
            return []
        container = nodes.container(classes=["etl-foreign"])
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


@contextlib.contextmanager
def tolerant_markup(
    unknown_roles: frozenset[str], unknown_directives: frozenset[str]
) -> Iterator[None]:
    """Resolve the given unknown names to the fallbacks while parsing one docstring."""
    lookup_role, lookup_directive = roles.role, directives.directive

    def role(name: str, language: Any, lineno: int, reporter: Any) -> Any:
        if name.lower() in unknown_roles:
            return foreign_role, []
        return lookup_role(name, language, lineno, reporter)

    def directive(name: str, language: Any, document: Any) -> Any:
        if name.lower() in unknown_directives:
            return ForeignDirective, []
        return lookup_directive(name, language, document)

    roles.role, directives.directive = role, directive  # type: ignore[assignment]
    try:
        yield
    finally:
        roles.role, directives.directive = lookup_role, lookup_directive


class ComponentDocstring(SphinxDirective):
    """``.. etl-docstring:: <dotted path>`` with the docstring as content.

    The lines go through ``autodoc-process-docstring`` (so napoleon and the site's own hooks
    see them, with ``obj=None`` as the class is never imported here), then are parsed. Pass
    ``:upstream:`` for provider docstrings, whose references point into Airflow's docs; Python
    references of any docstring may name members, which component pages do not document."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "what": directives.unchanged,
        "upstream": directives.flag,
    }

    def processed_lines(self) -> list[str]:
        what = self.options.get("what", "class")
        lines = list(self.content)
        if "napoleon_use_param" not in self.config:
            # Without napoleon loaded its event handler is absent: convert as it would.
            lines = docstrings.to_rest("\n".join(lines)).splitlines()
        if "autodoc-process-docstring" in self.env.events.events:
            self.env.events.emit(
                "autodoc-process-docstring", what, self.arguments[0], None, _Options(), lines
            )
        return lines

    def run(self) -> list[Node]:
        unknown_roles, unknown_directives = getattr(
            self.env, "etl_foreign_markup", (frozenset(), frozenset())
        )
        text = StringList(self.processed_lines(), source=self.get_source_info()[0])
        with tolerant_markup(unknown_roles, unknown_directives):
            parsed = self.parse_text_to_nodes(text, offset=self.content_offset)
        # Component pages document no members, and a provider's references point into
        # Airflow's docs: such targets may be missing through no fault of the site.
        upstream = "upstream" in self.options
        for node in parsed:
            for xref in node.findall(addnodes.pending_xref):
                if upstream or xref.get("refdomain") == "py":
                    xref["etl_quiet"] = True
        return parsed


def upstream_ref_as_text(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: Node
) -> Node | None:
    """``missing-reference``, after intersphinx had its chance: a reference the extension wrote,
    or one in a docstring that points outside the site, renders as text, unwarned (even with
    ``nitpicky``)."""
    return contnode if node.get("etl_quiet") else None
