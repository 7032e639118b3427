"""The package's stages import only downward: model <- collect <- render <- the Sphinx side.

Read from the source with :mod:`ast`, so a violation is caught whether or not a test happens
to import the module that breaks the rule.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "sphinxext_etl"

#: What each stage may import from the package (besides itself), and from outside it.
ALLOWED_INTERNAL = {
    "model": set(),
    "collect": {"model", "config", "__init__"},
    "render": {"model", "config"},
}
#: Sphinx and docutils are the upper stages' business; collect uses napoleon's text
#: conversion only (Google/NumPy docstrings to reST fields).
FORBIDDEN_EXTERNAL = {
    "model": ("sphinx", "docutils", "jinja2"),
    "collect": ("docutils", "sphinx.util", "sphinx.application", "sphinx.environment"),
    "render": ("sphinx", "docutils"),
}
MAX_LINES = 420


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def stage_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imports(path: Path) -> list[str]:
    """Absolute names the module imports, type-checking-only imports included."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "sphinxext_etl":
                found += [f"sphinxext_etl.{alias.name}" for alias in node.names]
            else:
                found.append(node.module)
    return found


def internal_stage(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "sphinxext_etl":
        return None
    # ``from sphinxext_etl import __version__`` reads the package's own ``__init__``.
    return parts[1] if len(parts) > 1 and not parts[1].startswith("__") else "__init__"


@pytest.mark.parametrize("stage", sorted(ALLOWED_INTERNAL))
def test_lower_stages_never_import_upward(stage: str) -> None:
    problems = []
    for path in modules():
        if stage_of(path) != stage:
            continue
        for name in imports(path):
            target = internal_stage(name)
            if target is not None and target != stage and target not in ALLOWED_INTERNAL[stage]:
                problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_EXTERNAL[stage]):
                problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert problems == []


def test_model_imports_neither_sphinx_nor_docutils() -> None:
    code = (
        "import sys, sphinxext_etl.model, sphinxext_etl.model.json;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils', 'jinja2'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_no_module_is_too_long() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
