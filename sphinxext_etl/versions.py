"""Version switcher and old-version banner: static assets and the page's version metadata."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from sphinxext_etl.assets import serve_assets
from sphinxext_etl.config import etl_config

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

JS_FILE = "etl-versions.js"
CSS_FILE = "etl-versions.css"


def _wants_switcher(app: Sphinx) -> bool:
    # An e-book has no published versions to switch between.
    return app.builder.format == "html" and not app.builder.name.startswith("epub")


def add_static_files(app: Sphinx) -> None:
    """``builder-inited``: ship the switcher's JS and CSS with HTML builds."""
    if not _wants_switcher(app) or not serve_assets(app):
        return
    app.add_js_file(JS_FILE, loading_method="defer")
    app.add_css_file(CSS_FILE)


def add_version_meta(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``html-page-context``: tell the script which version this page is and where the
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
