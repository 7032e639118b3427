"""``sphinx-etl init``: the starter site it writes, its safety rails, and that the site builds."""

from __future__ import annotations

import builtins
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxext_etl import cli

EXPECTED_FILES = {
    ".github/workflows/docs.yml",
    "docs/.gitignore",
    "docs/agreements/index.rst",
    "docs/architecture.rst",
    "docs/conf.py",
    "docs/conventions/index.rst",
    "docs/guides/add-an-operator.rst",
    "docs/index.rst",
    "requirements-docs.txt",
    "scripts/build-docs.sh",
}
ACME = ["--project", "ACME", "--package", "acme_platform"]
SQLITE = ["--providers", "apache-airflow-providers-sqlite"]


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def conf_values(site: Path) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec((site / "docs" / "conf.py").read_text(), namespace)
    return namespace


def test_init_with_options_writes_the_expected_tree(tmp_path: Path) -> None:
    assert cli.main(["init", str(tmp_path), *ACME, *SQLITE, "--no-input"]) == 0
    assert files_in(tmp_path) == EXPECTED_FILES
    conf = conf_values(tmp_path)
    assert conf["project"] == "ACME"
    assert conf["etl_packages"] == ["acme_platform"]
    assert conf["etl_providers"] == ["apache-airflow-providers-sqlite"]
    assert conf["extensions"] == ["sphinxext_etl", "sphinx.ext.intersphinx"]
    assert os.access(tmp_path / "scripts" / "build-docs.sh", os.X_OK)
    assert "apache-airflow-providers-sqlite\n" in (tmp_path / "requirements-docs.txt").read_text()


def test_intersphinx_is_opt_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.main(["init", str(tmp_path), "--no-input"])
    assert conf_values(tmp_path)["intersphinx_mapping"] == {}
    monkeypatch.setenv("ETL_INTERSPHINX", "1")
    assert "airflow" in conf_values(tmp_path)["intersphinx_mapping"]  # type: ignore[operator]


def test_providers_all_and_several_packages(tmp_path: Path) -> None:
    args = ["--package", "acme", "--package", "acme.extra", "--providers", "all"]
    assert cli.main(["init", str(tmp_path), *args, "--no-input"]) == 0
    conf = conf_values(tmp_path)
    assert conf["etl_packages"] == ["acme", "acme.extra"]
    assert conf["etl_providers"] == "all"


def test_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "conf.py").write_text("# ours\n")
    assert cli.main(["init", str(tmp_path), "--no-input"]) == 1
    assert "docs/conf.py" in capsys.readouterr().err
    assert (tmp_path / "docs" / "conf.py").read_text() == "# ours\n"
    assert files_in(tmp_path) == {"docs/conf.py"}


def test_force_overwrites(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "conf.py").write_text("# ours\n")
    assert cli.main(["init", str(tmp_path), "--no-input", "--force"]) == 0
    assert "etl_packages" in (tmp_path / "docs" / "conf.py").read_text()


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "site"
    assert cli.main(["init", str(target), "--dry-run", "--no-input"]) == 0
    assert not target.exists()
    assert "docs/conf.py" in capsys.readouterr().out


def test_non_interactive_defaults_come_from_the_folder_name(tmp_path: Path) -> None:
    target = tmp_path / "acme-data-docs"
    # No --no-input: stdin is not a terminal under pytest, so nothing is asked.
    assert cli.main(["init", str(target)]) == 0
    conf = conf_values(target)
    assert conf["project"] == "acme-data-docs"
    assert conf["etl_packages"] == ["acme_data_docs"]
    assert conf["etl_providers"] == "all"


def test_asks_for_missing_options_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["Acme", "acme_platform, acme_jobs", ""])
    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda self: True})())
    monkeypatch.setattr(builtins, "input", lambda prompt: next(answers))
    assert cli.main(["init", str(tmp_path)]) == 0
    conf = conf_values(tmp_path)
    assert (conf["project"], conf["etl_packages"]) == ("Acme", ["acme_platform", "acme_jobs"])
    assert conf["etl_providers"] == "all"


def test_rejects_a_package_that_is_not_an_import_path(tmp_path: Path) -> None:
    assert cli.main(["init", str(tmp_path), "--package", "acme-platform", "--no-input"]) == 2
    assert not any(tmp_path.iterdir())


def test_python_m_and_console_script_run_the_same_command(tmp_path: Path) -> None:
    for command in (
        [sys.executable, "-m", "sphinxext_etl"],
        [str(Path(sys.executable).parent / "sphinx-etl")],
    ):
        result = subprocess.run(
            [*command, "init", str(tmp_path), "--dry-run", "--no-input"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "Would write 10 files" in result.stdout


def test_initialised_site_builds_with_w_and_n(tmp_path: Path) -> None:
    """The whole loop: init, then the site's own build script (-W -n), offline."""
    assert cli.main(["init", str(tmp_path), *ACME, *SQLITE, "--no-input"]) == 0
    env = {**os.environ, "PYTHON": sys.executable}
    env.pop("ETL_INTERSPHINX", None)
    result = subprocess.run(
        ["bash", str(tmp_path / "scripts" / "build-docs.sh")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    html = tmp_path / "docs" / "_build" / "html"
    for page in ("index", "architecture", "agreements/index", "guides/add-an-operator"):
        assert (html / f"{page}.html").is_file()
    assert (html / "reference" / "index.html").is_file()
    assert "PLAT-001" in (html / "agreements" / "index.html").read_text()
