"""Roles: ``:operator:``-style cross-references to components, and the roles generated pages
use (``:etl-badge:``, ``:etl-class:``, ``:etl-path:``, ``:etl-id:``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

from sphinxext_etl.build.data import DocRecords, data_of
from sphinxext_etl.model import Catalog, Kind

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Role name -> the kinds it may point at; a transfer is an operator too.
ROLE_KINDS: dict[str, tuple[Kind, ...]] = {
    "operator": (Kind.OPERATOR, Kind.TRANSFER),
    "hook": (Kind.HOOK,),
    "sensor": (Kind.SENSOR,),
    "transfer": (Kind.TRANSFER,),
    "trigger": (Kind.TRIGGER,),
    "notifier": (Kind.NOTIFIER,),
    "etl": (),
}


def resolve(catalog: Catalog, target: str, kinds: tuple[Kind, ...]) -> tuple[str, list[str]]:
    """``(dotted path, [])`` when ``target`` names one component, else ``("", candidates)``."""
    found = catalog.lookup(target, kinds)
    exact = [c for c in found if c.path == target]
    if exact:
        return exact[0].path, []
    if len(found) == 1:
        return found[0].path, []
    return "", sorted(c.path for c in found)


def problem(catalog: Catalog, role: str, target: str) -> str:
    """Why ``target`` does not resolve, or ``""`` when it does."""
    kinds = ROLE_KINDS[role]
    path, candidates = resolve(catalog, target, kinds)
    if path:
        return ""
    if candidates:
        return (
            f":{role}:`{target}` is ambiguous; use a dotted path, one of: {', '.join(candidates)}"
        )
    others = sorted(f"{c.path} ({c.kind.value})" for c in catalog.lookup(target))
    hint = f"; found another kind: {', '.join(others)}" if others else ""
    return f":{role}:`{target}` names no {role if kinds else 'component'} in the catalog{hint}"


class ComponentRole(SphinxRole):
    """``:operator:`BashOperator``` or ``:hook:`title <airflow.providers...Hook>```."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        has_title, title, target = split_explicit_title(self.text)
        target = target.strip().lstrip("~")
        catalog = data_of(self.env).catalog
        path, _ = resolve(catalog, target, ROLE_KINDS[self.name])
        message = problem(catalog, self.name, target)
        if message:
            logger.warning(message, location=self.get_location(), type="etl", subtype="ref")
        REFS.of(self.env).setdefault(self.env.docname, set()).add((self.name, target, message))
        shown = title if has_title else (path or target).rpartition(".")[2]
        xref = addnodes.pending_xref(
            self.rawtext,
            refdomain="py",
            reftype="class",
            reftarget=path or target,
            refexplicit=True,
            refwarn=False,
        )
        xref += nodes.literal(self.rawtext, shown, classes=["xref", "py", "py-class", "etl-ref"])
        self.set_source_info(xref)
        return [xref], []


class QuietClassRole(SphinxRole):
    """``:etl-class:`~dotted.Path``` in generated pages: a ``py:class`` reference that links
    when the site (or intersphinx) knows the class, and is plain text, unwarned, otherwise."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        has_title, title, target = split_explicit_title(self.text)
        shown = title if has_title else target.lstrip("~")
        if not has_title and target.startswith("~"):
            shown = shown.rpartition(".")[2]
        xref = class_reference(target.lstrip("~"), shown, self.rawtext)
        self.set_source_info(xref)
        return [xref], []


def class_reference(path: str, shown: str, rawtext: str = "") -> addnodes.pending_xref:
    """A ``py:class`` reference to ``path`` shown as ``shown``: a link where the site (or
    intersphinx) knows the class, quiet text otherwise."""
    xref = addnodes.pending_xref(
        rawtext,
        refdomain="py",
        reftype="class",
        reftarget=path,
        refexplicit=True,
        refwarn=False,
        etl_quiet=True,
    )
    xref += nodes.literal(rawtext, shown, classes=["xref", "py", "py-class"])
    return xref


class BadgeRole(SphinxRole):
    """``:etl-badge:`Deferrable <deferrable>```: a labelled, styled ``inline`` node."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        _, label, variant = split_explicit_title(self.text)
        return [badge(label, variant, self.rawtext)], []


def badge(label: str, variant: str, rawtext: str = "") -> nodes.inline:
    """A labelled, styled ``inline`` node (CSS: ``etl-badge-<variant>``)."""
    classes = ["etl-badge", f"etl-badge-{nodes.make_id(variant)}"]
    return nodes.inline(rawtext or label, label, classes=classes)


class dotted_path(nodes.literal):
    """An import path shown as a literal, which HTML may wrap after a dot (see
    :func:`sphinxext_etl.build.html.visit_dotted_path`); other builders show it as any literal."""


class breakable(nodes.inline):
    """An identifier (a DAG id, an asset's name or URI) as text, which HTML may wrap after
    ``_``, ``.``, ``/`` or ``-`` rather than inside a word (see
    :func:`sphinxext_etl.build.html.visit_breakable`); other builders show it as any inline."""


class breakable_literal(nodes.literal):
    """A step id or other identifier shown as a literal, wrapped in HTML as :class:`breakable`."""


class IdentifierRole(SphinxRole):
    """``:etl-id:`extract.fetch_orders_of_the_day```: a long identifier in a narrow column."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        return [breakable_literal(self.rawtext, self.text)], []


class DottedPathRole(SphinxRole):
    """``:etl-path:`airflow.providers.http.hooks.http.HttpHook```: the catalogs' import paths,
    which a narrow column would otherwise break inside a name."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        return [dotted_path(self.rawtext, self.text)], []


def setup(app: Sphinx) -> None:
    for name in ROLE_KINDS:
        app.add_role(name, ComponentRole())
    app.add_role("etl-badge", BadgeRole())
    app.add_role("etl-class", QuietClassRole())
    app.add_role("etl-path", DottedPathRole())
    app.add_role("etl-id", IdentifierRole())


# --- incremental and parallel builds ----------------------------------------------------------


def _resolution_changed(env: BuildEnvironment, refs: set[tuple[str, str, str]]) -> bool:
    """Whether any reference a page made now resolves differently."""
    catalog = data_of(env).catalog
    return any(problem(catalog, role, target) != old for role, target, old in refs)


#: ``docname -> {(role, target, problem it had)}``, to re-read pages when that changes.
REFS: DocRecords[set[tuple[str, str, str]]] = DocRecords("role_refs", _resolution_changed)
