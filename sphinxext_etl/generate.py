"""Reference pages: one reST file per provider, package and component, written at
``builder-inited`` the way autosummary does it: only when its text changed, and only files the
extension wrote (listed in a manifest) are ever removed."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2.sandbox import SandboxedEnvironment
from sphinx.util import logging
from sphinx.util.docutils import is_directive_registered

from sphinxext_etl import component as docstring_markup
from sphinxext_etl import sourcepages, templating, transfermap
from sphinxext_etl.compat import BASE_DOCS_URL
from sphinxext_etl.config import CORE_SOURCE_URL, etl_config
from sphinxext_etl.model import (
    CORE_NAME,
    PROVIDER_PREFIX,
    Catalog,
    Component,
    Kind,
    Parameter,
    Provider,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

MARKER = ".. etl-generated"
MANIFEST = ".etl-manifest.json"
DASH = "\u2014"

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

    def in_navigation(self, members: int) -> bool:
        return not self.html_navigation or members <= self.navigation_limit


# --- text -------------------------------------------------------------------------------------


def xref(path: str, title: str = "") -> str:
    """A class reference: to the component's page, upstream through intersphinx, else text."""
    return f":etl-class:`{title} <{path}>`" if title else f":etl-class:`~{path}`"


_LITERAL = re.compile(r"``(?!\s).+?(?<!\s)``")
_HYPERLINK = re.compile(r"`([^`<]+?)\s*<[^<>`]+>`__?")
_LITERAL_MARKER = re.compile(r"\s*::$")


def inline(text: str) -> str:
    """Docstring text for a table cell: ``literals`` stay, other markup is made inert."""
    text = _HYPERLINK.sub(r"\1", text)
    pieces: list[str] = []
    last = 0
    for match in [*_LITERAL.finditer(text), None]:
        end = match.start() if match else len(text)
        segment = text[last:end]
        core = templating.plain(segment)
        if core:
            lead = segment[: len(segment) - len(segment.lstrip())]
            trail = segment[len(segment.rstrip()) :]
            pieces.append(f"{lead}{core}{trail}")
        else:
            pieces.append(" " if segment else "")
        if match:
            pieces.append(match.group(0))
            last = match.end()
    # A cell is one paragraph: a literal-block marker there announces a block that never
    # comes, so it reads as the colon it stands for.
    result = _LITERAL_MARKER.sub(":", " ".join("".join(pieces).split())).rstrip()
    return templating.inert(result)


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def guide_url(guide: str) -> str:
    """``/docs/<dist>/operators/bash.rst`` -> that page in the dist's stable upstream docs."""
    parts = guide.strip("/").removesuffix(".rst").split("/")
    if len(parts) > 2 and parts[0] == "docs":
        return "https://airflow.apache.org/docs/{}/stable/{}.html".format(
            parts[1], "/".join(parts[2:])
        )
    return "https://airflow.apache.org" + guide


def guide_title(guide: str) -> str:
    return "/".join(guide.removesuffix(".rst").split("/")[3:]) or guide


def jinja(search_path: tuple[str, ...]) -> SandboxedEnvironment:
    env = templating.environment(search_path)
    env.filters.update(
        xref=xref,
        inline=inline,
        first_line=first_line,
        guide_url=guide_url,
        guide_title=guide_title,
    )
    return env


def component_docnames(catalog: Catalog) -> dict[str, str]:
    """``path -> <provider slug>/<ClassName>``; a name two components share uses dotted paths."""
    slugs = {p.name: p.slug for p in catalog.providers}
    taken: dict[tuple[str, str], int] = {}
    for c in catalog:
        taken[c.owner, c.name.lower()] = taken.get((c.owner, c.name.lower()), 0) + 1
    return {
        c.path: f"{slugs.get(c.owner, c.owner)}/"
        + (c.name if taken[c.owner, c.name.lower()] == 1 else c.path)
        for c in catalog
    }


def badges(c: Component, provider: Provider | None) -> list[tuple[str, str]]:
    owner = provider.display_name if provider else c.owner
    found = [
        (c.kind.label, f"kind-{c.kind.value}"),
        (f"{owner} {c.owner_version}".strip(), "owner"),
    ]
    if c.in_house:
        found.append(("in-house", "in-house"))
    if c.deferrable:
        found.append(("deferrable", "deferrable"))
    if c.deprecated:
        found.append(("deprecated", "deprecated"))
    if c.static:
        found.append(("read statically", "static"))
    return found


def parameter_note(p: Parameter) -> str:
    """What the description cell says before the docstring's text: a deprecation (with its
    replacement) and how the parameter is passed."""
    notes: list[str] = []
    if p.deprecation is not None:
        message = inline(p.deprecation.message) or "Deprecated."
        notes.append(f":etl-badge:`deprecated <deprecated>` {message}")
        if p.deprecation.replacement and p.deprecation.replacement not in p.deprecation.message:
            notes.append(f"Use {templating.literal(p.deprecation.replacement)} instead.")
    if p.via_kwargs:
        notes.append("Accepted through ``**kwargs``.")
    return " ".join(notes)


def parameter_rows(c: Component) -> list[dict[str, str]]:
    rows = []
    for p in c.parameters:
        if p.variadic:
            continue
        description = " ".join(filter(None, [parameter_note(p), inline(p.description)]))
        rows.append(
            {
                "name": templating.literal(p.name),
                "annotation": templating.literal(p.annotation) or DASH,
                "default": templating.literal(p.default) or DASH,
                "required": "yes" if p.required else "no",
                "templated": ":etl-badge:`templated <templated>`" if p.templated else DASH,
                "description": description or DASH,
                "defined_in": xref(p.defined_in)
                if p.defined_in and p.defined_in != c.path
                else DASH,
            }
        )
    return rows


def inherited(c: Component) -> dict[str, str] | None:
    """The collapsed line for parameters that ``**kwargs`` pass on to the Airflow base."""
    if not any(p.variadic for p in c.parameters):
        return None
    name, path, page, examples = AIRFLOW_BASES[c.kind]
    return {
        "name": name,
        "path": path,
        "url": BASE_DOCS_URL + page,
        "examples": ", ".join(map(templating.literal, examples)),
    }


def render_pages(catalog: Catalog, settings: Settings) -> dict[str, str]:
    """``file path under the reference folder -> text``: a pure function of its inputs."""
    env = jinja(settings.search_path)
    docnames = component_docnames(catalog)
    pages: dict[str, str] = {}

    local_sources: set[str] = set()
    linked_locally = [c for c in catalog if not settings.source_pattern(c)]
    if linked_locally:
        template = env.get_template("source.rst.jinja")
        for module, members in sourcepages.modules(linked_locally).items():
            text = sourcepages.read_source(members)
            if text is None:
                continue
            local_sources.add(module)
            pages[sourcepages.docname(module) + ".rst"] = template.render(
                title=f"Source of {module}",
                components=sorted(c.path for c in members),
                chunks=[
                    (chunk.label, chunk.first_line, chunk.text)
                    for chunk in sourcepages.chunks(text, members)
                ],
            )

    template = env.get_template("component.rst.jinja")
    owned = Counter(c.owner for c in catalog)
    for c in catalog:
        source = sourcepages.source_link(c, settings.source_pattern(c))
        if source.get("label") and c.module not in local_sources:
            source = {}
        pages[docnames[c.path] + ".rst"] = template.render(
            c=c,
            provider=catalog.provider(c.owner),
            badges=badges(c, catalog.provider(c.owner)),
            source=source,
            rows=parameter_rows(c),
            inherited=inherited(c),
            used_by=[u.path for u in catalog.used_by(c.path)],
            agreements=settings.agreements,
            orphan=not settings.in_navigation(owned[c.owner]),
        )

    map_template = env.get_template("transfermap.rst.jinja")

    def transfer_map(members: Iterable[Component]) -> str:
        edges = transfermap.edges(members)
        return map_template.render(
            edges=edges,
            dot=transfermap.dot_source(edges) if settings.graphviz else "",
            alt=transfermap.alt_text(edges),
        ).strip()

    owners: list[tuple[Provider, str, int]] = []
    template = env.get_template("provider.rst.jinja")
    for provider in sorted(catalog.providers, key=lambda p: (not p.in_house, p.slug)):
        members = sorted(catalog.owned_by(provider.name), key=lambda c: (c.name.lower(), c.path))
        edges = transfermap.edges(members)
        pages[f"{provider.slug}/index.rst"] = template.render(
            provider=provider,
            title=provider.display_name,
            pages=[(c, docnames[c.path].partition("/")[2]) for c in members],
            transfer_map=transfer_map(members) if edges else "",
            navigation=settings.in_navigation(len(members)),
        )
        owners.append((provider, f"{provider.slug}/index", len(members)))

    pages["index.rst"] = env.get_template("index.rst.jinja").render(
        owners=owners, transfer_map=transfer_map(catalog)
    )
    return {name: text.rstrip() + "\n" for name, text in sorted(pages.items())}


# --- files ------------------------------------------------------------------------------------


def _manifest(folder: Path) -> set[str]:
    try:
        return set(json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def write_pages(folder: Path, pages: dict[str, str]) -> tuple[list[str], list[str]]:
    """Write what changed, remove what the extension wrote before and no longer generates.
    Returns ``(written, removed)`` file names."""
    written: list[str] = []
    for name, text in pages.items():
        target = folder / name
        try:
            if target.read_text(encoding="utf-8") == text:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(name)
    removed: list[str] = []
    for name in sorted(_manifest(folder) - set(pages)):
        target = folder / name
        try:
            ours = target.read_text(encoding="utf-8").startswith(MARKER)
        except (OSError, UnicodeDecodeError):
            continue
        if ours:
            target.unlink()
            removed.append(name)
            _remove_empty_parents(target.parent, folder)
    manifest = json.dumps(sorted(pages), indent=1) + "\n"
    if pages or (folder / MANIFEST).exists():
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / MANIFEST).exists() or (folder / MANIFEST).read_text() != manifest:
            (folder / MANIFEST).write_text(manifest, encoding="utf-8")
    return written, removed


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


# --- Sphinx -------------------------------------------------------------------------------------


def settings_of(app: Sphinx) -> Settings:
    graphviz = "sphinx.ext.graphviz" in app.extensions and bool(
        shutil.which(str(app.config.graphviz_dot))
    )
    return Settings(
        source_url=etl_config(app).source_url,
        provider_source_url=etl_config(app).provider_source_url,
        graphviz=graphviz,
        agreements=is_directive_registered("applicable-agreements"),
        search_path=getattr(app.env, "etl_template_path", ()),
        navigation_limit=etl_config(app).navigation_limit,
        html_navigation=app.builder.name in {"html", "dirhtml"},
    )


def generate_reference(app: Sphinx, catalog: Catalog) -> None:
    """``etl-catalog-loaded``: bring the reference folder in line with the catalog."""
    config = etl_config(app)
    folder = Path(app.srcdir, config.reference_dir)
    pages = render_pages(catalog, settings_of(app)) if config.generate_reference else {}
    if pages:
        docname_of = component_docnames(catalog)
        texts = [
            docstring_markup.DocstringText(
                f"{config.reference_dir}/{docname_of[c.path]}", c.docstring, not c.in_house
            )
            for c in catalog
        ]
        texts += [
            docstring_markup.DocstringText(
                f"{config.reference_dir}/{p.slug}/index", p.description, not p.in_house
            )
            for p in catalog.providers
        ]
        docstring_markup.note_foreign_markup(app, texts)
        app.env.etl_upstream_docnames = frozenset(  # type: ignore[attr-defined]
            t.docname for t in texts if t.upstream
        )
    written, removed = write_pages(folder, pages)
    if written or removed:
        logger.info("[etl] reference: %d page(s) written, %d removed", len(written), len(removed))
