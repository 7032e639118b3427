"""Markup a provider's docstrings use but the site lacks, and references that resolve
nowhere: rendered as readable text, warned about for in-house docstrings, and counted in one
summary line per build for provider docstrings (the team cannot fix those)."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.languages import en
from docutils.utils import Reporter
from sphinx import addnodes
from sphinx.util import logging

from sphinxext_etl.build.data import DocRecords, data_of
from sphinxext_etl.config import etl_config
from sphinxext_etl.model import Catalog
from sphinxext_etl.render.reference import component_docnames
from sphinxext_etl.render.text import role_text

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

SILENT_DIRECTIVES = frozenset({"spelling:word-list", "spelling"})

_ROLE = re.compile(r"(?<![\w`\\]):(?P<name>[A-Za-z][\w+.-]*(?::[A-Za-z][\w+.-]*)*):`")
_DIRECTIVE = re.compile(r"^\s*\.\.\s+(?P<name>[A-Za-z][\w+.:-]*?)::", re.M)


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
    report = data_of(app.env).upstream_report
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
    data_of(app.env).foreign_roles = frozenset(unknown_roles)
    data_of(app.env).foreign_directives = frozenset(unknown_directives)


def note_reference_markup(app: Sphinx, catalog: Catalog) -> None:
    """``etl-catalog-loaded``: what the generated pages' docstrings use that the site lacks,
    and which pages hold a provider's docstrings."""
    config = etl_config(app)
    if not config.generate_reference:
        return
    docname_of = component_docnames(catalog)
    texts = [
        DocstringText(f"{config.reference_dir}/{docname_of[c.path]}", c.docstring, not c.in_house)
        for c in catalog
    ]
    texts += [
        DocstringText(f"{config.reference_dir}/{p.slug}/index", p.description, not p.in_house)
        for p in catalog.providers
    ]
    note_foreign_markup(app, texts)
    data_of(app.env).upstream_docnames = frozenset(t.docname for t in texts if t.upstream)


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
    return [nodes.literal(rawtext, role_text(text), classes=["etl-foreign"])], []


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

    roles.role, directives.directive = role, directive
    try:
        yield
    finally:
        roles.role, directives.directive = lookup_role, lookup_directive


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
    "docstring_problems", lambda env, record: False
)


# --- the summary of what provider docstrings got wrong ------------------------------------------


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
    if node.get("refdoc") not in data_of(env).upstream_docnames:
        return contnode if node.get("etl_member") else None
    # Sphinx calls every handler; intersphinx's answer is the one it keeps, so only what it
    # cannot resolve either is counted.
    if "sphinx.ext.intersphinx" in app.extensions:
        from sphinx.ext.intersphinx import missing_reference

        resolved = missing_reference(app, env, node, contnode)
        if resolved is not None:
            return resolved
    if etl_config(app).provider_docstring_warnings:
        return None
    target = f"{node.get('refdomain') or 'std'}:{node.get('reftype')}:{node.get('reftarget')}"
    data_of(env).upstream_report.references.append((str(node.get("refdoc")), target))
    return contnode


def report_upstream_problems(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: one summary line for what provider docstrings got wrong, each
    item listed with ``-v``."""
    if exception is not None:
        return
    report = data_of(app.env).upstream_report
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
    data_of(app.env).upstream_report.references.clear()


def setup(app: Sphinx) -> None:
    app.connect("etl-catalog-loaded", note_reference_markup)
    app.connect("missing-reference", upstream_ref_as_text, priority=900)
    app.connect("builder-inited", reset_references)
    app.connect("build-finished", report_upstream_problems)
