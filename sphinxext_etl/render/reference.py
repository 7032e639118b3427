"""Reference pages: the reST of one page per provider, package and component, the source pages
and the index, as a pure function of the catalog and the :class:`Settings` (the files are
written by :mod:`sphinxext_etl.build.reference_files`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from jinja2.sandbox import SandboxedEnvironment

from sphinxext_etl.config import CORE_SOURCE_URL
from sphinxext_etl.model import (
    CORE_NAME,
    PROVIDER_PREFIX,
    Catalog,
    Component,
    Kind,
    Parameter,
    Provider,
)
from sphinxext_etl.model.dags import DagScan
from sphinxext_etl.model.diff import Comparison
from sphinxext_etl.render import dags, diff, jinja, sources, transfers
from sphinxext_etl.render.connection import Fact
from sphinxext_etl.render.text import Inline, inline, listed, literal, plain

#: Upstream API docs of the base classes, linked from the collapsed "inherited" line.
BASE_DOCS_URL = "https://airflow.apache.org/docs/apache-airflow/stable/"

#: What a component's ``**kwargs`` reach, per kind: (name, dotted path, page under
#: BASE_DOCS_URL, a few of its parameters).
_OPERATOR = ("BaseOperator", "airflow.sdk.BaseOperator", "core-concepts/operators.html")
AIRFLOW_BASES: dict[Kind, tuple[str, str, str, tuple[str, ...]]] = {
    Kind.OPERATOR: (*_OPERATOR, ("task_id", "retries", "pool")),
    Kind.TRANSFER: (*_OPERATOR, ("task_id", "retries", "pool")),
    Kind.SENSOR: (
        "BaseSensorOperator",
        "airflow.sdk.BaseSensorOperator",
        "core-concepts/sensors.html",
        ("poke_interval", "timeout", "mode"),
    ),
    Kind.HOOK: (
        "BaseHook",
        "airflow.sdk.BaseHook",
        "authoring-and-scheduling/connections.html",
        ("logger_name",),
    ),
    Kind.TRIGGER: (
        "BaseTrigger",
        "airflow.triggers.base.BaseTrigger",
        "authoring-and-scheduling/deferring.html",
        (),
    ),
    Kind.NOTIFIER: ("BaseNotifier", "airflow.sdk.BaseNotifier", "howto/notifications.html", ()),
}


@dataclass(frozen=True)
class Settings:
    """Everything besides the catalog that decides the generated text."""

    #: ``etl_source_url`` (in-house components); empty means local source pages.
    source_url: str = ""
    #: ``etl_provider_source_url`` (provider components); empty means local source pages.
    provider_source_url: str = ""

    def source_pattern(self, component: Component) -> str:
        """The link pattern for ``component``: the team's own for in-house code, Airflow's
        repository for official providers and core, else local source pages (a third-party
        provider's repository is unknown)."""
        if component.in_house:
            return self.source_url
        if not self.provider_source_url:
            return ""
        if component.owner.startswith(PROVIDER_PREFIX):
            return self.provider_source_url
        if component.owner == CORE_NAME:
            return CORE_SOURCE_URL.get(component.owner_version.partition(".")[0], "")
        return ""

    #: ``dot`` can run: transfer maps are graphs, else tables.
    graphviz: bool = False
    #: The ``applicable-agreements`` directive exists.
    agreements: bool = False
    search_path: tuple[str, ...] = ()
    #: ``etl_navigation_limit``: a provider with more components than this keeps them out of
    #: the HTML navigation.
    navigation_limit: int = 200
    #: The builder renders HTML navigation on every page (html, dirhtml).
    html_navigation: bool = False
    #: Graph nodes can link pages: the html builder's layout, one page per document beside
    #: its folder's others, which ``sphinx.ext.graphviz`` assumes when it rewrites an SVG's
    #: links (under dirhtml they would miss by a folder, under singlehtml by a page).
    graph_links: bool = False
    #: The project's folder (``conf.py``'s): DAG files are shown relative to it.
    root: str = ""

    def in_navigation(self, members: int) -> bool:
        return not self.html_navigation or members <= self.navigation_limit


def component_docnames(catalog: Catalog) -> dict[str, str]:
    """``path -> <provider slug>/<ClassName>``; a name two components share uses dotted paths."""
    slugs = {p.name: p.slug for p in catalog.providers}
    taken = Counter((c.owner, c.name.lower()) for c in catalog)
    return {
        c.path: f"{slugs.get(c.owner, c.owner)}/"
        + (c.name if taken[c.owner, c.name.lower()] == 1 else c.path)
        for c in catalog
    }


def badges(
    c: Component, provider: Provider | None, comparison: Comparison | None = None
) -> list[tuple[str, str]]:
    owner = provider.display_name if provider else c.owner
    found = [
        (c.kind.label, f"kind-{c.kind.value}"),
        (f"{owner} {c.owner_version}".strip(), "owner"),
    ]
    flags = [
        (c.in_house, "in-house", "in-house"),
        (c.deferrable, "deferrable", "deferrable"),
        (c.deprecated, "deprecated", "deprecated"),
        (c.static, "read statically", "static"),
    ]
    found += [(label, variant) for present, label, variant in flags if present]
    changes = comparison.of(c.path) if comparison else ()
    if any(change.kind == "component-added" for change in changes):
        found.append(("new in this release", "new"))
    elif changes:
        worst = min((change.severity for change in changes), key=lambda s: s.rank)
        found.append((f"changed: {worst.value}", f"changed-{worst.value}"))
    return found


def _names(message: str, name: str) -> bool:
    """Whether ``message`` names ``name`` as a word (``table_name`` does not name ``name``)."""
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", message) is not None


def parameter_note(p: Parameter) -> str:
    """What the description says before the docstring's text: a deprecation's message (with
    its replacement) and how the parameter is passed."""
    notes: list[str] = []
    if p.deprecation is not None:
        notes.append(inline(p.deprecation.message) or "Deprecated.")
        if p.deprecation.replacement and not _names(
            p.deprecation.message, p.deprecation.replacement
        ):
            notes.append(f"Use {literal(p.deprecation.replacement)} instead.")
    if p.via_kwargs:
        notes.append("Accepted through ``**kwargs``.")
    return " ".join(notes)


#: What a parameter without a docstring entry says.
UNDOCUMENTED = "*Not documented.*"


@dataclass(frozen=True)
class ParameterRow:
    """One entry of a component page's parameter list, as data: the directive that shows it
    builds its nodes (only ``description``, docstring prose, is markup to parse)."""

    #: The name, type annotation and default, each on one line; "" where there is none.
    name: str
    annotation: str
    default: str
    #: ``(label, variant)`` of each badge: required, templated, deprecated.
    badges: tuple[tuple[str, str], ...]
    #: One paragraph of inline reST: the note before the docstring's text, and that text.
    description: str
    #: The dotted path of the base class that declares it; "" where the component does.
    defined_in: str


def parameter_badges(p: Parameter) -> tuple[tuple[str, str], ...]:
    """The badges on a parameter's line: required, templated, deprecated."""
    found = [
        (p.required, "required"),
        (p.templated, "templated"),
        (p.deprecation is not None, "deprecated"),
    ]
    return tuple((label, label) for present, label in found if present)


def listed_parameters(c: Component) -> list[Parameter]:
    """The parameters a component page lists, one entry each: every named one (``*args`` and
    ``**kwargs`` are the collapsed "inherited" line instead)."""
    return [p for p in c.parameters if not p.variadic]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parameter_rows(c: Component) -> list[ParameterRow]:
    """One entry per named parameter, in the order the page lists them."""
    return [
        ParameterRow(
            name=_one_line(p.name),
            annotation=_one_line(p.annotation),
            default=_one_line(p.default),
            badges=parameter_badges(p),
            description=" ".join(filter(None, [parameter_note(p), inline(p.description)]))
            or UNDOCUMENTED,
            defined_in=p.defined_in if p.defined_in != c.path else "",
        )
        for p in listed_parameters(c)
    ]


def relation_facts(c: Component, used_by: Iterable[str]) -> list[Fact]:
    """What a component's Relations section lists: the systems a transfer moves data
    between, the hooks it uses, the components that use it and its bases."""
    facts: list[Fact] = []
    if c.source_system:
        moves = f"{plain(c.source_system)} → {plain(c.target_system) or '?'}"
        facts.append(Fact("Moves data", (Inline("prose", moves),)))
    for name, paths in (
        ("Uses hooks", c.uses_hooks),
        ("Used by", tuple(used_by)),
        ("Bases", c.bases),
    ):
        if paths:
            classes = [[Inline("etl-class", path.rpartition(".")[2], path)] for path in paths]
            facts.append(Fact(name, listed(classes)))
    return facts


def inherited(c: Component) -> dict[str, str] | None:
    """The collapsed line for parameters that ``**kwargs`` pass on to the Airflow base."""
    if not any(p.variadic for p in c.parameters):
        return None
    name, path, page, examples = AIRFLOW_BASES[c.kind]
    return {
        "name": name,
        "path": path,
        "url": BASE_DOCS_URL + page,
        "examples": ", ".join(map(literal, examples)),
    }


def render_pages(
    catalog: Catalog,
    settings: Settings,
    scan: DagScan | None = None,
    comparison: Comparison | None = None,
) -> dict[str, str]:
    """``file path under the reference folder -> text``: a pure function of its inputs. With
    a DAG ``scan``, DAG pages and "used in" sections; with a ``comparison``, a changes page."""
    env = jinja.environment(settings.search_path)
    pages = source_pages(env, catalog, settings)
    local_sources = {name.removesuffix(".rst").partition("/")[2] for name in pages}
    used_in = dags.uses_by_component(scan, catalog) if scan is not None else None
    dag_docnames = dags.dag_docnames(scan) if scan is not None else {}
    docnames = component_docnames(catalog)
    template = env.get_template("component.rst.jinja")
    owned = Counter(c.owner for c in catalog)
    for c in catalog:
        source = sources.source_link(c, settings.source_pattern(c))
        if source.get("label") and c.module not in local_sources:
            source = {}
        uses = None
        if used_in is not None:
            uses = [
                (
                    dag_docnames[d.file, d.dag_id],
                    d.dag_id,
                    t.task_id,
                    dags.shown_file(d.file, settings.root),
                    t.line,
                )
                for d, t in used_in.get(c.path, [])
            ]
        pages[docnames[c.path] + ".rst"] = template.render(
            c=c,
            provider=catalog.provider(c.owner),
            badges=badges(c, catalog.provider(c.owner), comparison),
            source=source,
            rows=parameter_rows(c),
            inherited=inherited(c),
            used_by=[u.path for u in catalog.used_by(c.path)],
            agreements=settings.agreements,
            orphan=not settings.in_navigation(owned[c.owner]),
            dags=uses,
            changes=comparison.of(c.path) if comparison else (),
        )
    extra: list[tuple[str, str, str]] = []
    if scan is not None:
        links = docnames if settings.graph_links else {}
        graph_links = links if settings.graphviz else None
        in_navigation = settings.in_navigation(len(scan.dags))
        pages.update(dags.dag_pages(env, scan, catalog, graph_links, settings.root, in_navigation))
        extra.append((f"{dags.DAG_FOLDER}/index", "DAGs", "every DAG of the platform."))
    if comparison is not None:
        pages["changes.rst"] = diff.changes_page(env, comparison, catalog)
        extra.append(("changes", "What changed", "since the previous release."))
    pages.update(owner_pages(env, catalog, settings, extra))
    return {name: text.rstrip() + "\n" for name, text in sorted(pages.items())}


def source_pages(env: SandboxedEnvironment, catalog: Catalog, settings: Settings) -> dict[str, str]:
    """Local, viewcode-style pages of the modules whose components link no URL."""
    pages: dict[str, str] = {}
    linked_locally = [c for c in catalog if not settings.source_pattern(c)]
    template = env.get_template("source.rst.jinja")
    for module, members in sources.modules(linked_locally).items():
        text = sources.read_source(members)
        if text is None:
            continue
        pages[sources.docname(module) + ".rst"] = template.render(
            title=f"Source of {module}",
            components=sorted(c.path for c in members),
            chunks=[
                (chunk.label, chunk.first_line, chunk.text)
                for chunk in sources.chunks(text, members)
            ],
        )
    return pages


def owner_pages(
    env: SandboxedEnvironment,
    catalog: Catalog,
    settings: Settings,
    extra: list[tuple[str, str, str]],
) -> dict[str, str]:
    """A page per provider and package, and the reference's index."""
    docnames = component_docnames(catalog)
    map_template = env.get_template("transfermap.rst.jinja")

    def transfer_map(members: Iterable[Component]) -> str:
        edges = transfers.edges(members)
        return map_template.render(
            edges=edges,
            dot=transfers.dot_source(edges) if settings.graphviz else "",
            alt=transfers.alt_text(edges),
        ).strip()

    pages: dict[str, str] = {}
    owners: list[tuple[Provider, str, int]] = []
    template = env.get_template("provider.rst.jinja")
    for provider in sorted(catalog.providers, key=lambda p: (not p.in_house, p.slug)):
        members = sorted(catalog.owned_by(provider.name), key=lambda c: (c.name.lower(), c.path))
        edges = transfers.edges(members)
        pages[f"{provider.slug}/index.rst"] = template.render(
            provider=provider,
            title=provider.display_name,
            pages=[(c, docnames[c.path].partition("/")[2]) for c in members],
            transfer_map=transfer_map(members) if edges else "",
            navigation=settings.in_navigation(len(members)),
        )
        owners.append((provider, f"{provider.slug}/index", len(members)))
    pages["index.rst"] = env.get_template("index.rst.jinja").render(
        owners=owners, transfer_map=transfer_map(catalog), extra=extra
    )
    return pages
