"""Catalog pages follow the installed code across incremental rebuilds (each build a process)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from harbour_site import OPERATOR, build, write_package


def write_site(root: Path) -> tuple[Path, Path]:
    package = write_package(root)
    src = root / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        textwrap.dedent("""
        extensions = ["sphinxext_etl"]
        etl_providers = []
        etl_packages = ["harbour"]
        etl_generate_reference = False
    """)
    )
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   catalog\n   other\n")
    (src / "catalog.rst").write_text("Catalog\n=======\n\n.. operator-catalog::\n")
    (src / "other.rst").write_text("Other\n=====\n\nNo catalog here.\n")
    return package, src


def reread(log: str) -> set[str]:
    """Documents the build read, from Sphinx's verbose 'reading sources... [NN%] doc' lines
    (``-N``: no colour codes, which Sphinx adds when ``CI`` is set)."""
    return {
        line.rsplit(" ", 1)[-1]
        for line in log.splitlines()
        if line.startswith("reading sources... [")
    }


def test_catalog_page_is_reread_only_when_its_output_changes(tmp_path: Path) -> None:
    package, src = write_site(tmp_path)
    assert reread(build(src, tmp_path)) == {"index", "catalog", "other"}
    assert reread(build(src, tmp_path)) == set(), "a no-change rebuild reads nothing"

    (package / "ship.py").write_text(OPERATOR.format(summary="Ship cargo to a harbour."))
    assert reread(build(src, tmp_path)) == {"catalog"}
    html = (tmp_path / "out" / "catalog.html").read_text()
    assert "Ship cargo to a harbour." in html

    # A docstring change the catalog doesn't show re-reads nothing.
    text = (package / "ship.py").read_text().replace("where to ship to.", "the port's code.")
    (package / "ship.py").write_text(text)
    assert reread(build(src, tmp_path)) == set()


def test_catalog_from_the_same_inputs_is_not_rendered_again(tmp_path: Path) -> None:
    """A rebuild from the same cached records, templates and DAG scan trusts what the catalog
    rendered last time (templates are known by their modification time and size, as for the
    reference pages); a template that changes on disk renders it again."""
    _package, src = write_site(tmp_path)
    with (src / "conf.py").open("a") as conf:
        conf.write('templates_path = ["_templates"]\n')
    package_templates = Path(__file__).parents[1] / "sphinxext_etl/render/templates"
    shipped = (package_templates / "catalog.rst.jinja").read_text()
    template = src / "_templates" / "catalog.rst.jinja"
    template.parent.mkdir()
    template.write_text(shipped.replace("{% for title,", "Site catalog AAAA.\n\n{% for title,"))
    assert reread(build(src, tmp_path)) == {"index", "catalog", "other"}
    html = tmp_path / "out" / "catalog.html"
    assert "Site catalog AAAA." in html.read_text()

    # The same size and modification time: taken as the same template, not rendered again.
    stamp = template.stat()
    template.write_text(template.read_text().replace("AAAA", "BBBB"))
    os.utime(template, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert reread(build(src, tmp_path)) == set()

    # Touched: rendered again, and the page with it.
    os.utime(template, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000_000))
    assert reread(build(src, tmp_path)) == {"catalog"}
    assert "Site catalog BBBB." in html.read_text()
