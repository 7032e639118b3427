"""The ``etl-docstring`` directive: a docstring rendered through autodoc's event and napoleon,
with roles and directives the site lacks degraded to readable text."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
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
from sphinxext_etl.config import etl_config
from sphinxext_etl.docrecords import DocRecords
from sphinxext_etl.model import source_location
from sphinxext_etl.pipeline import catalog_of

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
        # Without an inventory to look in, ``:external:`` can only fail.
        mapping = (
            app.config.intersphinx_mapping if "sphinx.ext.intersphinx" in app.extensions else {}
        )
        inventory = name.removeprefix("external+").partition(":")[0]
        return bool(mapping) and (name.startswith("external:") or inventory in mapping)
    if _domain_has(app.env, name, "role", app.config.primary_domain):
        return True
    return roles.role(name, en, 0, Reporter("", 5, 5))[0] is not None


def directive_known(app: Sphinx, name: str) -> bool:
    if _domain_has(app.env, name, "directive", app.config.primary_domain):
        return True
    stand_in = SimpleNamespace(reporter=Reporter("", 5, 5), current_line=0)
    return directives.directive(name, en, stand_in)[0] is not None


@dataclass(frozen=True)
class DocstringText:
    """One docstring a generated page renders: where it appears and whose it is."""

    docname: str
    text: str
    #: From a provider (or Airflow itself): the team cannot fix it.
    upstream: bool


def note_foreign_markup(app: Sphinx, texts: Iterable[DocstringText]) -> None:
    """Find the roles and directives the docstrings use but the site lacks, and remember them
    for :class:`ComponentDocstring`, which renders them as text. A name an in-house docstring
    uses warns once (at its first page); one only providers use is counted for the summary."""
    first_use: dict[tuple[str, str], str] = {}
    upstream_uses: Counter[tuple[str, str]] = Counter()
    in_house_names: set[tuple[str, str]] = set()
    for entry in texts:
        role_names, directive_names = markup_names(entry.text)
        for kind, names in (("role", role_names), ("directive", directive_names)):
            for name in names:
                first_use.setdefault((kind, name), entry.docname)
                if entry.upstream:
                    upstream_uses[kind, name] += 1
                else:
                    in_house_names.add((kind, name))
    unknown_roles = {n for (k, n) in first_use if k == "role" and not role_known(app, n)}
    unknown_directives = {
        n for (k, n) in first_use if k == "directive" and not directive_known(app, n)
    }
    report = summary_of(app.env)
    report.foreign_markup.clear()
    loud = etl_config(app).provider_docstring_warnings
    for kind, name in sorted(first_use):
        if name not in (unknown_roles if kind == "role" else unknown_directives):
            continue
        if name in SILENT_DIRECTIVES:
            continue
        shown = f":{name}:" if kind == "role" else f".. {name}::"
        if (kind, name) not in in_house_names and not loud:
            report.foreign_markup[shown] = upstream_uses[kind, name]
            continue
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


@contextlib.contextmanager
def collected_messages(state: Any) -> Iterator[list[nodes.system_message]]:
    """Route docutils' messages into a list while one docstring is parsed, so that a
    provider's mistakes are contained instead of reported against the generated page.
    docutils 0.22 reports through the document's reporter, 0.21 through the parser's memo."""
    document: nodes.document = state.document
    original = document.reporter
    quiet = Reporter(original.source, Reporter.SEVERE_LEVEL + 1, Reporter.SEVERE_LEVEL + 1, False)
    if hasattr(original, "get_source_and_line"):
        quiet.get_source_and_line = original.get_source_and_line  # type: ignore[attr-defined]
    messages: list[nodes.system_message] = []
    quiet.attach_observer(messages.append)
    document.reporter = state.memo.reporter = quiet
    try:
        yield messages
    finally:
        document.reporter = state.memo.reporter = original


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
    a colon, and a block that still does not parse is shown as preformatted text. Pass
    ``:upstream:`` for provider docstrings: their problems are counted in the build's summary
    rather than warned about, as the team cannot fix them."""

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
        for start, block in docstrings.blocks(lines):
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
        unknown_roles, unknown_directives = getattr(
            self.env, "etl_foreign_markup", (frozenset(), frozenset())
        )
        lines = docstrings.contain_structure(self.processed_lines())
        with tolerant_markup(unknown_roles, unknown_directives):
            parsed, problems = self.parse_contained(lines)
        upstream = "upstream" in self.options
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


def resolve_externally_as_usual(xref: addnodes.pending_xref) -> None:
    """An ``:external:`` reference is resolved by intersphinx's own post-transform, which
    warns when it fails; in a provider's docstring it goes the usual way instead (intersphinx
    still resolves it), so that what resolves nowhere is counted, not warned about."""
    if "intersphinx" not in xref:
        return
    del xref["intersphinx"]
    inventory = xref.attributes.pop("inventory", None)
    if inventory:
        xref["reftarget"] = f"{inventory}:{xref['reftarget']}"


@dataclass(frozen=True)
class Problem:
    """A docstring block that did not parse, kept as preformatted text."""

    path: str
    message: str
    block: str


#: ``docname -> problems`` of provider docstrings, for the build's summary.
DOCSTRING_PROBLEMS: DocRecords[list[Problem]] = DocRecords(
    "etl_docstring_problems", lambda env, record: False
)


def docstring_location(env: BuildEnvironment, problem: Problem) -> str | tuple[str, int | None]:
    """The Python source line of the block that failed, where the component is known;
    else the generated page."""
    # Only a block that failed gets here, so the lookup need not be cached.
    component = catalog_of(env).by_path().get(problem.path)
    if component is None or not component.source_file:
        return (env.docname, None)
    line = component.docstring_line or component.source_line
    first = next((t.strip() for t in problem.block.splitlines() if t.strip()), "")
    try:
        source = Path(component.source_file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        source = []
    found = next(
        (
            n
            for n in range(max(line, 1), len(source) + 1)
            if first and source[n - 1].strip() == first
        ),
        line,
    )
    return source_location(component.source_file, found)


def warn_docstring_problem(env: BuildEnvironment, problem: Problem) -> None:
    logger.warning(
        "the docstring of %s does not parse (%s); the block is shown as preformatted text",
        problem.path,
        problem.message,
        location=docstring_location(env, problem),
        type="etl",
        subtype="docstring",
    )


# --- the summary of what provider docstrings got wrong ------------------------------------------


@dataclass
class UpstreamReport:
    """What this build contained in provider docstrings instead of warning about it."""

    #: ``:role:`` or ``.. directive::`` -> uses, for names this site lacks.
    foreign_markup: dict[str, int] = field(default_factory=dict)
    #: ``(page, target)`` of references that resolved nowhere and were shown as text.
    references: list[tuple[str, str]] = field(default_factory=list)


def summary_of(env: BuildEnvironment) -> UpstreamReport:
    report = getattr(env, "etl_upstream_report", None)
    if report is None:
        report = UpstreamReport()
        env.etl_upstream_report = report  # type: ignore[attr-defined]
    return report


def upstream_docnames(env: BuildEnvironment) -> frozenset[str]:
    """Pages whose docstrings are a provider's (set when the reference is generated)."""
    return getattr(env, "etl_upstream_docnames", frozenset())


def upstream_ref_as_text(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: Node
) -> Node | None:
    """``missing-reference``, after intersphinx had its chance: a reference the extension
    wrote, or a Python one in an in-house docstring (component pages document no members),
    renders as text, unwarned (even with ``nitpicky``). One on a provider's page that resolves
    nowhere renders as text too, and is counted for the summary (unless
    ``etl_provider_docstring_warnings``)."""
    if node.get("etl_quiet"):
        return contnode
    if node.get("refdoc") not in upstream_docnames(env):
        return contnode if node.get("etl_member") else None
    # Sphinx calls every handler; intersphinx's answer is the one it keeps, so only what it
    # cannot resolve either is counted.
    if "sphinx.ext.intersphinx" in app.extensions:
        from sphinx.ext.intersphinx import missing_reference

        resolved = missing_reference(app, env, node, contnode)  # type: ignore[arg-type]
        if resolved is not None:
            return resolved
    if etl_config(app).provider_docstring_warnings:
        return None
    target = f"{node.get('refdomain') or 'std'}:{node.get('reftype')}:{node.get('reftarget')}"
    summary_of(env).references.append((str(node.get("refdoc")), target))
    return contnode


def report_upstream_problems(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: one summary line for what provider docstrings got wrong, each
    item listed with ``-v``."""
    if exception is not None:
        return
    report = summary_of(app.env)
    problems = [
        (docname, problem)
        for docname, found in sorted(DOCSTRING_PROBLEMS.of(app.env).items())
        for problem in found
    ]
    if not (problems or report.foreign_markup or report.references):
        return
    for docname, problem in problems:
        logger.verbose("[etl] %s: %s: %s", docname, problem.path, problem.message)
    for name, uses in sorted(report.foreign_markup.items()):
        logger.verbose("[etl] provider docstrings use %s (%d use(s)), shown as text", name, uses)
    for docname, target in sorted(set(report.references)):
        logger.verbose("[etl] %s: reference to %s resolves nowhere, shown as text", docname, target)
    parts = [
        f"{len(problems)} block(s) in {len({p.path for _, p in problems})} component(s) shown "
        "as preformatted text"
        if problems
        else "",
        f"{len(report.foreign_markup)} role(s)/directive(s) this site lacks shown as text"
        if report.foreign_markup
        else "",
        f"{len(set(report.references))} reference(s) that resolve nowhere shown as text"
        if report.references
        else "",
    ]
    logger.info(
        "[etl] provider docstrings: %s (-v lists them; etl_provider_docstring_warnings = True "
        "makes them warnings)",
        ", ".join(filter(None, parts)),
    )


def reset_references(app: Sphinx) -> None:
    """``builder-inited``: references are counted afresh by each build's writing."""
    summary_of(app.env).references.clear()
