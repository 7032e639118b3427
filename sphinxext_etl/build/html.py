"""Everything the extension adds to HTML pages: its CSS and JS (served from ``static/``, with
HTML builders only), each on the pages whose content needs it, the version switcher on every
page, and copy buttons on code blocks. The one place that registers assets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinxext_etl.build.data import DocRecords, data_of
from sphinxext_etl.build.roles import breakable, breakable_literal, dotted_path
from sphinxext_etl.config import etl_config

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

STATIC_DIR = Path(__file__).parents[1] / "static"
#: Badges, parameter lists, the extension's tables and source pages: on every page that shows
#: anything of the extension's (a node with a class starting ``etl-``).
STYLESHEET = "etl.css"
#: On every HTML page (the switcher appears wherever a published versions.json is found).
VERSIONS_JS = "etl-versions.js"
VERSIONS_CSS = "etl-versions.css"

#: A class in a page's doctree -> the files of ``static/`` that page loads (``.css`` as a
#: stylesheet, ``.js`` deferred). A feature that brings its own assets adds a line here.
PAGE_ASSETS: dict[str, tuple[str, ...]] = {
    "etl-catalog": ("etl-catalog.css", "etl-catalog.js"),
    "etl-agreement": ("etl-agreements.css",),
    "etl-agreement-index": ("etl-agreements.css",),
    "etl-agreement-ref": ("etl-agreements.css",),
    "etl-applicable-agreements": ("etl-agreements.css",),
    "etl-connection-builder": ("etl-connection.js", "etl-connection.css"),
    # The import line is on every component page, whose docstrings may hold wide code.
    "etl-import": ("etl-scroll.js",),
}


def serve_static(app: Sphinx) -> bool:
    """Put the package's static folder on the HTML static path; False for other builders,
    which need no CSS."""
    if app.builder.format != "html":
        return False
    # app.add_static_dir() only exists from Sphinx 9.1.
    if str(STATIC_DIR) not in map(str, app.config.html_static_path):
        app.config.html_static_path.append(str(STATIC_DIR))
    return True


def _wants_switcher(app: Sphinx) -> bool:
    # An e-book has no published versions to switch between.
    return app.builder.format == "html" and not app.builder.name.startswith("epub")


def add_site_assets(app: Sphinx) -> None:
    """``builder-inited``: serve ``static/``, and the version switcher where it applies."""
    if serve_static(app) and _wants_switcher(app):
        app.add_js_file(VERSIONS_JS, loading_method="defer")
        app.add_css_file(VERSIONS_CSS)


def page_assets(classes: Iterable[str]) -> list[str]:
    """The files a page whose nodes carry ``classes`` loads, in a stable order."""
    found = set(classes)
    wanted = [STYLESHEET] if any(c.startswith("etl-") for c in found) else []
    for cls, files in PAGE_ASSETS.items():
        if cls in found:
            wanted.extend(f for f in files if f not in wanted)
    return wanted


def note_page_assets(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: what this page's content needs, recorded as it is read (and merged
    from parallel readers), so that writing looks it up instead of walking the page again."""
    classes = {c for node in doctree.findall(nodes.Element) for c in node["classes"]}
    ASSETS.of(app.env)[app.env.docname] = asset_classes(classes)


def asset_classes(classes: Iterable[str]) -> frozenset[str]:
    """Of a page's classes, those that decide its assets: ``etl-`` for any of the extension's
    (the stylesheet), and each of :data:`PAGE_ASSETS`."""
    found = set(classes)
    marker = {"etl-"} if any(c.startswith("etl-") for c in found) else set()
    return frozenset(marker | (found & PAGE_ASSETS.keys()))


def note_resolved_assets(env: BuildEnvironment, docname: str, added: Iterable[nodes.Node]) -> None:
    """What a page gains when it is resolved (a listing filled in at ``doctree-resolved``)
    needs its assets too: noted in the process that then writes the page."""
    classes = {c for node in added for e in node.findall(nodes.Element) for c in e["classes"]}
    found = data_of(env).resolved_assets
    found[docname] = found.get(docname, frozenset()) | asset_classes(classes)


#: ``docname -> the classes of its content that decide its assets``.
ASSETS: DocRecords[frozenset[str]] = DocRecords("page_assets", lambda env, record: False)


def add_page_assets(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``html-page-context``: the stylesheets and scripts this page's content needs (added
    here, they go on this page only). The single-page builder's one page holds them all."""
    if doctree is None or app.builder.format != "html":
        return
    recorded, resolved = ASSETS.of(app.env), data_of(app.env).resolved_assets
    if app.builder.name == "singlehtml":
        classes = frozenset().union(*recorded.values(), *resolved.values())
    else:
        classes = recorded.get(pagename, frozenset()) | resolved.get(pagename, frozenset())
    for name in page_assets(classes):
        if name.endswith(".js"):
            app.add_js_file(name, loading_method="defer")
        else:
            app.add_css_file(name)


def add_version_meta(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``html-page-context``: tell the switcher which version this page is and where the
    published ``versions.json`` is."""
    if not _wants_switcher(app):
        return
    config = etl_config(app)
    if not config.versions_url:
        return
    version = config.version or app.config.release or app.config.version
    context["metatags"] = (
        context.get("metatags", "")
        + f'\n<meta name="etl-version" content="{escape(version)}">'
        + f'\n<meta name="etl-versions-url" content="{escape(config.versions_url)}">'
    )


#: Where an import path may wrap: after each dot, between names.
_DOTS = re.compile(r"(?<=\.)")
#: Where an identifier may wrap: after these, never inside a word.
_BREAKS = re.compile(r"(?<=[_./-])")


def visit_dotted_path(translator: HTML5Translator, node: nodes.Element) -> None:
    """An import path as Sphinx writes a literal, with a ``<wbr>`` after each dot: a narrow
    table column wraps it between names, not inside one (``overflow-wrap`` stays the last
    resort for a name wider than the column). ``<wbr>`` adds nothing to copied text."""
    _write_with_breaks(translator, node, _DOTS)


def visit_breakable(translator: HTML5Translator, node: nodes.Element) -> None:
    """An identifier with a ``<wbr>`` after each ``_``, ``.``, ``/`` and ``-`` (a literal as
    Sphinx writes one, or a span), so that a narrow column wraps it between its words."""
    _write_with_breaks(translator, node, _BREAKS)


def _write_with_breaks(
    translator: HTML5Translator, node: nodes.Element, at: re.Pattern[str]
) -> None:
    pieces = "<wbr />".join(translator.encode(p) for p in at.split(node.astext()) if p)
    if isinstance(node, nodes.literal):
        start = translator.starttag(node, "code", "", CLASS="docutils literal notranslate")
        translator.body.append(f'{start}<span class="pre">{pieces}</span></code>')
    else:
        translator.body.append(f"{translator.starttag(node, 'span', '')}{pieces}</span>")
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(dotted_path, html=(visit_dotted_path, None))
    app.add_node(breakable, html=(visit_breakable, None))
    app.add_node(breakable_literal, html=(visit_breakable, None))
    # Copy buttons on the import line and the examples, unless the site loads them already.
    app.setup_extension("sphinx_copybutton")
    app.connect("builder-inited", add_site_assets)
    # Before anything that rewrites the doctree at the end of reading.
    app.connect("doctree-read", note_page_assets, priority=800)
    app.connect("html-page-context", add_page_assets)
    app.connect("html-page-context", add_version_meta)
