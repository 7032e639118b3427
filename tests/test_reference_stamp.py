"""A rebuild from the same cached records, settings and templates does not render the
reference pages again, and every change to what they follow from still reaches them (each
build a process, as on a developer's machine)."""

from __future__ import annotations

from pathlib import Path

from harbour_site import OPERATOR, build, write_package, write_source

SKIPPED = "[etl] reference: unchanged since the last build"


def write_site(root: Path) -> Path:
    write_package(root)
    src = write_source(root, "templates_path = ['_templates']")
    (src / "_templates").mkdir()
    return src


def test_reference_is_rendered_again_only_when_what_it_follows_from_changes(
    tmp_path: Path,
) -> None:
    src = write_site(tmp_path)
    page = src / "reference" / "harbour" / "ShipOperator.rst"
    html = tmp_path / "out" / "reference" / "harbour" / "ShipOperator.html"

    assert SKIPPED not in build(src, tmp_path)
    written = page.stat().st_mtime_ns
    # A no-op: the same records, settings and templates, the files as written.
    assert SKIPPED in build(src, tmp_path)
    assert page.stat().st_mtime_ns == written

    # A generated page edited by hand is written again.
    page.write_text(page.read_text().replace("Ship cargo", "Hand-edited"))
    assert SKIPPED not in build(src, tmp_path)
    assert "Hand-edited" not in page.read_text() and "Ship cargo to a port." in page.read_text()

    # A deleted one too.
    page.unlink()
    assert SKIPPED not in build(src, tmp_path)
    assert page.is_file()

    # A site template that overrides the package's.
    package_template = Path(__file__).parents[1] / "sphinxext_etl/render/templates"
    template = (package_template / "component.rst.jinja").read_text()
    anchor = ".. etl-rubric:: Parameters"
    assert anchor in template
    (src / "_templates" / "component.rst.jinja").write_text(
        template.replace(anchor, f"Overridden by the site.\n\n{anchor}")
    )
    assert SKIPPED not in build(src, tmp_path)
    assert "Overridden by the site." in html.read_text()

    # The code: a new record.
    (tmp_path / "pkgs" / "harbour" / "ship.py").write_text(
        OPERATOR.format(summary="Ship cargo to any port.")
    )
    assert SKIPPED not in build(src, tmp_path)
    assert "Ship cargo to any port." in html.read_text()
    assert SKIPPED in build(src, tmp_path)
