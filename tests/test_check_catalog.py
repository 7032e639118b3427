"""scripts/check_catalog.py: the real-world check's invariants on small fabricated catalogs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from sphinxext_etl.model import (
    Catalog,
    Component,
    Deprecation,
    Kind,
    Origin,
    Parameter,
    Provider,
    dumps,
)

SCRIPT = Path(__file__).parents[1] / "scripts" / "check_catalog.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_catalog", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the script is executed.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


check_catalog = load_script()

OWNER = "apache-airflow-providers-demo"
CURRENT = Component(
    f"{OWNER}.pod.KubernetesPodOperator",
    Kind.OPERATOR,
    OWNER,
    parameters=(
        Parameter("image"),
        Parameter("resources", deprecation=Deprecation("use container_resources", "cr")),
    ),
)
RETIRED = Component(
    "demo.legacy.LegacyOperator",
    Kind.OPERATOR,
    OWNER,
    deprecation=Deprecation("Use CurrentOperator instead."),
)
STATIC = Component("demo.beam.BeamHook", Kind.HOOK, OWNER, origin=Origin.STATIC)
IMPORT_WARNING = (
    "/site-packages/demo/beam.py:3: WARNING: cannot import module demo.beam: "
    "ModuleNotFoundError: No module named 'apache_beam'; its components were read "
    "statically from source [etl.import]\n"
)
SOUND = Catalog(providers=(Provider(OWNER, version="1.0"),), components=(CURRENT, RETIRED, STATIC))


def run(tmp_path: Path, catalog: Catalog, log: str = IMPORT_WARNING, *extra: str) -> int:
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(dumps(catalog), encoding="utf-8")
    log_file = tmp_path / "warnings.txt"
    log_file.write_text(log, encoding="utf-8")
    result: int = check_catalog.main([str(catalog_file), "--warnings", str(log_file), *extra])
    return result


def with_components(*components: Component) -> Catalog:
    return replace(SOUND, components=components)


def test_sound_catalog_passes_and_is_summarised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, SOUND, IMPORT_WARNING, "--require", "BeamHook") == 0
    out = capsys.readouterr().out
    assert "owners: 1" in out
    assert "deprecated components: 1\n  demo.legacy.LegacyOperator: 'Use CurrentOperator" in out
    assert "deprecated parameters: 1" in out
    assert "KubernetesPodOperator(resources)" in out
    assert out.rstrip().endswith("all invariants hold")


@pytest.mark.parametrize(
    ("catalog", "log", "extra", "invariant", "problem"),
    [
        pytest.param(
            with_components(CURRENT, replace(RETIRED, deprecation=Deprecation(" ")), STATIC),
            IMPORT_WARNING,
            (),
            "(a)",
            "demo.legacy.LegacyOperator (apache-airflow-providers-demo) is deprecated with an "
            "empty message",
            id="deprecation-without-message",
        ),
        pytest.param(
            with_components(replace(CURRENT, deprecation=Deprecation("x")), STATIC),
            IMPORT_WARNING,
            (),
            "(a)",
            "KubernetesPodOperator (apache-airflow-providers-demo) is a current class but is "
            "marked deprecated",
            id="well-known-class-deprecated",
        ),
        pytest.param(
            with_components(replace(CURRENT, parameters=(Parameter("image"),)), RETIRED, STATIC),
            IMPORT_WARNING,
            (),
            "(b)",
            "no parameter in the catalog has a 'deprecation' record",
            id="no-deprecated-parameter",
        ),
        pytest.param(
            SOUND,
            "",
            (),
            "(c)",
            "demo.beam was read statically but has no etl.import warning",
            id="static-module-without-warning",
        ),
        pytest.param(
            with_components(CURRENT, RETIRED),
            IMPORT_WARNING,
            (),
            "(c)",
            "demo.beam failed to import, yet no component was read from its source",
            id="failed-module-without-components",
        ),
        pytest.param(
            SOUND,
            IMPORT_WARNING,
            ("--require", "BashOperator"),
            "(d)",
            "no component named BashOperator",
            id="missing-required-component",
        ),
    ],
)
def test_broken_invariant_fails_with_its_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    catalog: Catalog,
    log: str,
    extra: tuple[str, ...],
    invariant: str,
    problem: str,
) -> None:
    assert run(tmp_path, catalog, log, *extra) == 1
    err = capsys.readouterr().err
    assert f"FAILED {invariant} " in err
    assert problem in err
    assert err.count("FAILED") == 1


def test_warning_saying_the_module_holds_none_explains_a_failure_without_components(
    tmp_path: Path,
) -> None:
    log = IMPORT_WARNING + (
        "/site-packages/demo/beam.py:1: WARNING: module demo.beam holds no components "
        "[etl.import]\n"
    )
    assert run(tmp_path, with_components(CURRENT, RETIRED), log) == 0


def test_log_entries_keep_continuation_lines_and_lose_colour() -> None:
    log = (
        "\x1b[91m/src/a.py:3: WARNING: cannot import module a: boom [etl.import]\x1b[39;49;00m\n"
        "/site/index.rst:7: ERROR: Unknown directive type: 'spelling:word-list'.\n"
        "\n"
        ".. spelling:word-list::\n"
        "   Xcom [docutils]\n"
        "WARNING: no location here\n"
    )
    warnings = check_catalog.parse_warnings(log)
    assert [(w.location, w.level, w.type) for w in warnings] == [
        ("/src/a.py:3", "WARNING", "etl.import"),
        ("/site/index.rst:7", "ERROR", "docutils"),
        ("", "WARNING", ""),
    ]
    assert warnings[1].message.endswith(".. spelling:word-list::\n   Xcom")


def test_command_line_exits_non_zero_on_a_failed_invariant(tmp_path: Path) -> None:
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(dumps(SOUND), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(catalog_file), "--require", "NoSuchOperator"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "FAILED (d) the required components are in the catalog" in result.stderr
    assert "invariant (c) not checked" in result.stdout


def test_missing_catalog_is_reported_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_catalog.main([str(tmp_path / "catalog.json")]) == 2
    assert "did the HTML build finish?" in capsys.readouterr().err
