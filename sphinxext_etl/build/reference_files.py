"""The generated reference folder: rendered from the catalog at ``builder-inited`` when what
it follows from changed, written only where a page's text changed (so Sphinx re-reads exactly
those), and cleared of the pages it generated before that are no longer generated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.docutils import is_directive_registered

from sphinxext_etl.build.data import data_of, digest, stable_text
from sphinxext_etl.config import etl_config
from sphinxext_etl.model import Catalog
from sphinxext_etl.render import reference

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The first line of every generated file: only files that start with it are ever removed.
MARKER = ".. etl-generated"
MANIFEST = ".etl-manifest.json"


def settings_of(app: Sphinx) -> reference.Settings:
    graphviz = "sphinx.ext.graphviz" in app.extensions and bool(
        shutil.which(str(app.config.graphviz_dot))
    )
    # Said once per build (the one call, when the catalog is loaded), and only where there
    # are DAG pages to miss their graphs; transfer maps fall back to tables silently.
    if not graphviz and etl_config(app).dag_folders:
        logger.info(
            "[etl] Graphviz's %r was not found: DAG pages list their dependencies and the data "
            "flow as text, without graphs. Install Graphviz for them (apt-get install graphviz, "
            "brew install graphviz), or set graphviz_dot to the dot binary.",
            str(app.config.graphviz_dot),
        )
    return reference.Settings(
        source_url=etl_config(app).source_url,
        provider_source_url=etl_config(app).provider_source_url,
        graphviz=graphviz,
        agreements=is_directive_registered("applicable-agreements"),
        search_path=data_of(app.env).template_path,
        navigation_limit=etl_config(app).navigation_limit,
        html_navigation=app.builder.name in {"html", "dirhtml"},
        graph_links=app.builder.name == "html",
        root=str(app.confdir),
    )


def generate_reference(app: Sphinx, catalog: Catalog) -> None:
    """``etl-catalog-loaded``: bring the reference folder in line with the catalog."""
    config = etl_config(app)
    folder = Path(app.srcdir, config.reference_dir)
    settings = settings_of(app)
    data = data_of(app.env)
    # Rendering every page to compare it with the file is most of a no-op rebuild's own
    # cost: not again for the same inputs while the files are as they were written.
    stamp = Path(app.doctreedir, "etl-reference.json")
    key = ""
    if config.generate_reference and data.inputs_key:
        key = digest(f"{data.inputs_key}\n{folder}\n{stable_text(settings)}")
    if key and _files_as_stamped(stamp, key, folder):
        logger.verbose("[etl] reference: unchanged since the last build, not rendered again")
        return
    pages = (
        reference.render_pages(catalog, settings, data.dag_scan, data.comparison)
        if config.generate_reference
        else {}
    )
    written, removed = write_pages(folder, pages)
    if written or removed:
        logger.info("[etl] reference: %d page(s) written, %d removed", len(written), len(removed))
    _write_stamp(stamp, key, folder, [*pages, MANIFEST] if pages else [])


def _file_stamps(folder: Path, names: list[str]) -> dict[str, list[int]] | None:
    """``name -> [mtime_ns, size]``; None when a file is missing."""
    stamps: dict[str, list[int]] = {}
    for name in names:
        try:
            found = (folder / name).stat()
        except OSError:
            return None
        stamps[name] = [found.st_mtime_ns, found.st_size]
    return stamps


def _files_as_stamped(stamp: Path, key: str, folder: Path) -> bool:
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    files = recorded.get("files") or {}
    return recorded.get("key") == key and _file_stamps(folder, sorted(files)) == files


def _write_stamp(stamp: Path, key: str, folder: Path, names: list[str]) -> None:
    files = _file_stamps(folder, names) if key else None
    if not files:
        stamp.unlink(missing_ok=True)
        return
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"key": key, "files": files}), encoding="utf-8")


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


def setup(app: Sphinx) -> None:
    app.setup_extension("sphinx.ext.graphviz")
    app.connect("etl-catalog-loaded", generate_reference)
