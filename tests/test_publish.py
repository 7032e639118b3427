"""Versioned publishing: build two releases the way the docs workflow does, publish both."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxext_etl.site import publish

REPO = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = REPO / "site_template" / "scripts" / "build-docs.sh"
TEST_ROOT = Path(__file__).parent / "roots" / "test-versions"
RELEASES = ("1.3.0", "1.4.0")


def build_release(repo: Path, version: str) -> Path:
    """Run the workflow's build step, ``DOCS_VERSION=<version> scripts/build-docs.sh OUT``."""
    html = repo / "_build" / version
    env = {**os.environ, "PYTHON": sys.executable, "DOCS_VERSION": version}
    subprocess.run(
        ["bash", str(repo / "scripts" / "build-docs.sh"), str(html)], env=env, check=True
    )
    return html


def sphinx_etl(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxext_etl", *map(str, args)], capture_output=True, text=True
    )


def publish_releases(workdir: Path) -> tuple[Path, dict[str, Path]]:
    """A docs repository laid out like an initialised site, built and published per release."""
    repo = workdir / "repo"
    shutil.copytree(TEST_ROOT, repo / "docs")
    (repo / "scripts").mkdir()
    shutil.copy2(BUILD_SCRIPT, repo / "scripts" / "build-docs.sh")
    site = workdir / "gh-pages"
    builds = {}
    for version in RELEASES:
        builds[version] = build_release(repo, version)
        result = sphinx_etl(
            "publish", "--html", builds[version], "--site", site, "--version", version
        )
        assert result.returncode == 0, result.stderr
        if version == RELEASES[0]:
            # What the first publish left, to check that the second one keeps it.
            (workdir / "after-first.txt").write_text((site / "1.3.0" / "index.html").read_text())
    return site, builds


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    return publish_releases(tmp_path_factory.mktemp("published"))


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_each_release_has_its_own_folder(published: tuple[Path, dict[str, Path]]) -> None:
    site, _ = published
    assert (site / "1.3.0" / "retired.html").is_file()
    assert (site / "1.4.0" / "guide.html").is_file()
    assert not (site / "1.4.0" / "retired.html").exists()


def test_build_leftovers_are_not_published(published: tuple[Path, dict[str, Path]]) -> None:
    site, _ = published
    assert not list(site.rglob(".doctrees")) and not list(site.rglob(".buildinfo"))


def test_latest_is_a_copy_of_the_newest(published: tuple[Path, dict[str, Path]]) -> None:
    site, _ = published
    assert tree(site / "latest") == tree(site / "1.4.0")


def test_versions_json_lists_newest_first_with_the_latest(
    published: tuple[Path, dict[str, Path]],
) -> None:
    site, _ = published
    assert json.loads((site / "versions.json").read_text()) == {
        "latest": "1.4.0",
        "versions": [
            {"version": "1.4.0", "url": "1.4.0/", "latest": True},
            {"version": "1.3.0", "url": "1.3.0/", "latest": False},
        ],
    }


def test_root_redirects_to_latest(published: tuple[Path, dict[str, Path]]) -> None:
    site, _ = published
    index = (site / "index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=latest/">' in index
    assert (site / ".nojekyll").is_file()


def test_earlier_release_survives_the_next_publish(
    published: tuple[Path, dict[str, Path]],
) -> None:
    site, _ = published
    after_first = (site.parent / "after-first.txt").read_text()
    assert (site / "1.3.0" / "index.html").read_text() == after_first
    assert '<meta name="etl-version" content="1.3.0">' in after_first


def fake_build(tmp_path: Path, name: str) -> Path:
    html = tmp_path / "builds" / name
    html.mkdir(parents=True)
    (html / "index.html").write_text(f"<p>{name}</p>")
    return html


def publish_all(tmp_path: Path, *versions: str) -> publish.Manifest:
    manifest = publish.Manifest((), None)
    for version in versions:
        manifest = publish.publish(fake_build(tmp_path, version), tmp_path / "site", version)
    return manifest


def test_versions_sort_by_value_not_text(tmp_path: Path) -> None:
    manifest = publish_all(tmp_path, "1.9.0", "1.10.0", "1.2.0")
    assert manifest.versions == ("1.10.0", "1.9.0", "1.2.0")
    assert manifest.latest == "1.10.0"


def test_patch_of_an_older_line_does_not_become_latest(tmp_path: Path) -> None:
    manifest = publish_all(tmp_path, "1.4.0", "1.3.1")
    assert manifest.latest == "1.4.0"
    assert (tmp_path / "site" / "latest" / "index.html").read_text() == "<p>1.4.0</p>"


def test_pre_release_does_not_become_latest(tmp_path: Path) -> None:
    assert publish_all(tmp_path, "1.4.0", "2.0.0rc1").latest == "1.4.0"


def test_no_latest_keeps_the_current_latest(tmp_path: Path) -> None:
    publish_all(tmp_path, "1.4.0")
    result = sphinx_etl(
        "publish",
        "--html",
        fake_build(tmp_path, "1.5.0"),
        "--site",
        tmp_path / "site",
        "--version",
        "1.5.0",
        "--no-latest",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "site" / "versions.json").read_text())["latest"] == "1.4.0"


def test_latest_forces_an_older_release(tmp_path: Path) -> None:
    publish_all(tmp_path, "1.4.0")
    html = fake_build(tmp_path, "1.3.1")
    assert publish.publish(html, tmp_path / "site", "1.3.1", latest=True).latest == "1.3.1"


@pytest.mark.parametrize("version", ["latest", "../up", "a/b", ""])
def test_unsafe_version_names_are_refused(tmp_path: Path, version: str) -> None:
    html = fake_build(tmp_path, "any")
    result = sphinx_etl("publish", "--html", html, "--site", tmp_path / "s", "--version", version)
    assert result.returncode == 1
    assert "cannot be a version folder name" in result.stderr
    assert not (tmp_path / "s").exists()


def test_versions_sort_by_value_with_pre_releases_below_their_release() -> None:
    names = ["1.9.0", "dev", "1.10.0", "2.0.0rc1", "2.0.0"]
    assert sorted(names, key=publish.version_key, reverse=True) == [
        "2.0.0",
        "2.0.0rc1",
        "1.10.0",
        "1.9.0",
        "dev",
    ]
    assert not publish.is_stable("2.0.0rc1")
