"""Everything the extension adds to HTML pages: its CSS and JS (served from ``static/``, with
HTML builders only) and the version switcher's metadata. The one place that registers assets."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinxext_etl.config import etl_config

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
#: Badges, parameter tables and source pages; agreements and their listings.
STYLESHEET = "etl.css"
AGREEMENTS_CSS = "etl-agreements.css"
VERSIONS_JS = "etl-versions.js"
VERSIONS_CSS = "etl-versions.css"


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


def add_assets(app: Sphinx) -> None:
    """``builder-inited``: the stylesheets, and the version switcher where it applies."""
    if not serve_static(app):
        return
    app.add_css_file(STYLESHEET)
    if _wants_switcher(app):
        app.add_js_file(VERSIONS_JS, loading_method="defer")
        app.add_css_file(VERSIONS_CSS)
    app.add_css_file(AGREEMENTS_CSS)


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


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", add_assets)
    app.connect("html-page-context", add_version_meta)
