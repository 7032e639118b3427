"""What makes a cached record, a generated page and a rendered catalog stale (the rules in
docs/architecture.rst, "What makes things stale"), one test per kind of change: each build a
process of its own over an in-house package and a third-party provider distribution, with the
extension's own copy first on the path, as a team's CI or a developer's machine runs it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from harbour_site import OPERATOR, write_package

import sphinxext_etl

PROVIDER = Path(__file__).parent / "fixtures" / "bare_provider"
SKIPPED = "[etl] reference: unchanged since the last build"
OWNERS = re.compile(r"\[etl\] (\d+) of (\d+) owners from cache")


class Site:
    """A site over ``harbour`` and ``acme-bare-provider`` in ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        write_package(root)
        shutil.copytree(PROVIDER, root / "providers")
        shutil.copytree(Path(sphinxext_etl.__file__).parent, root / "ext" / "sphinxext_etl")
        self.src = root / "src"
        (self.src / "_templates").mkdir(parents=True)
        (self.src / "conf.py").write_text(
            textwrap.dedent("""
            extensions = ["sphinxext_etl"]
            etl_providers = ["acme-bare-provider"]
            etl_packages = ["harbour"]
            templates_path = ["_templates"]
            etl_source_url = ""
            """)
        )
        (self.src / "index.rst").write_text(
            "Index\n=====\n\n.. operator-catalog::\n   :columns: name, summary\n\n"
            ".. toctree::\n\n   reference/index\n"
        )
        self.page = root / "out" / "reference" / "harbour" / "ShipOperator.html"

    def build(self, *options: str) -> tuple[int, str]:
        """Build; ``(owners read from the cache, Sphinx's verbose output)``."""
        path = [self.root / "ext", self.root / "pkgs", self.root / "providers"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, path))}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-N",
                "-b",
                "html",
                "-v",
                *options,
                str(self.src),
                str(self.root / "out"),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            cwd=self.root,
        )
        found = OWNERS.search(done.stdout)
        assert found is not None, done.stdout
        assert found[2] == "2", done.stdout
        return int(found[1]), done.stdout

    def reread(self, output: str) -> bool:
        """Whether Sphinx read any page again."""
        return bool(re.search(r"\d+ changed", output)) and "0 added, 0 changed" not in output


@pytest.fixture
def site(tmp_path: Path) -> Site:
    site = Site(tmp_path)
    cached, output = site.build()
    assert cached == 0 and SKIPPED not in output
    # A no-op: every record from the cache, nothing rendered or read again.
    cached, output = site.build()
    assert cached == 2 and SKIPPED in output and not site.reread(output), output
    return site


def test_an_extension_upgrade_reads_every_owner_again(site: Site) -> None:
    live = site.root / "ext" / "sphinxext_etl" / "collect" / "live.py"
    live.write_text(live.read_text() + "\n# a new release\n")
    cached, output = site.build()
    assert cached == 0 and SKIPPED not in output


def test_an_extension_change_that_reading_does_not_run_reuses_every_record(site: Site) -> None:
    html = site.root / "ext" / "sphinxext_etl" / "build" / "html.py"
    html.write_text(html.read_text() + "\n# a new release\n")
    cached, _ = site.build()
    assert cached == 2


def test_a_distribution_upgrade_reads_that_owner_again(site: Site) -> None:
    (old,) = (site.root / "providers").glob("acme_bare_provider-*.dist-info")
    metadata = old / "METADATA"
    metadata.write_text(re.sub(r"(?m)^Version: .*$", "Version: 9.9.9", metadata.read_text()))
    old.rename(old.with_name("acme_bare_provider-9.9.9.dist-info"))
    cached, output = site.build()
    assert cached == 1 and SKIPPED not in output
    provider_page = site.root / "out" / "reference" / "acme-bare-provider" / "index.html"
    assert "9.9.9" in provider_page.read_text()


def test_a_template_edit_renders_again_from_the_same_records(site: Site) -> None:
    package = Path(sphinxext_etl.__file__).parent / "render" / "templates"
    template = (package / "component.rst.jinja").read_text()
    anchor = ".. etl-rubric:: Parameters"
    assert anchor in template
    (site.src / "_templates" / "component.rst.jinja").write_text(
        template.replace(anchor, f"Site note.\n\n{anchor}")
    )
    cached, output = site.build()
    assert cached == 2 and SKIPPED not in output
    assert "Site note." in site.page.read_text()


def test_a_config_change_renders_again_and_one_about_how_does_not(site: Site) -> None:
    cached, output = site.build("-D", "etl_workers=1")
    assert cached == 2 and SKIPPED in output and not site.reread(output)
    url = "https://git.example.com/harbour/{path}#L{line}"
    cached, output = site.build("-D", f"etl_source_url={url}")
    assert cached == 2 and SKIPPED not in output
    assert "https://git.example.com/harbour/" in site.page.read_text()


def test_a_source_edit_reads_that_owner_again(site: Site) -> None:
    (site.root / "pkgs" / "harbour" / "ship.py").write_text(
        OPERATOR.format(summary="Ship cargo to any port.")
    )
    cached, output = site.build()
    assert cached == 1 and SKIPPED not in output
    assert "Ship cargo to any port." in site.page.read_text()
    assert "Ship cargo to any port." in (site.root / "out" / "index.html").read_text()


def test_a_checkout_that_changes_only_modification_times_reads_nothing_again(site: Site) -> None:
    """CI checks the repository out afresh on every run: every file is new to the filesystem,
    and the restored cache still holds."""
    for path in (site.root / "pkgs" / "harbour").rglob("*.py"):
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    cached, _ = site.build()
    assert cached == 2
