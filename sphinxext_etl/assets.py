"""CSS and JS shipped inside the package, served with HTML builds only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

ASSETS_DIR = Path(__file__).parent / "assets"


def serve_assets(app: Sphinx) -> bool:
    """Put the package's asset folder on the HTML static path; False for other builders, which
    need no CSS."""
    if app.builder.format != "html":
        return False
    # app.add_static_dir() only exists from Sphinx 9.1.
    if str(ASSETS_DIR) not in map(str, app.config.html_static_path):
        app.config.html_static_path.append(str(ASSETS_DIR))
    return True
