"""Every part of the package imports only the parts below it (one table, :data:`LAYERS`),
and no module imports itself back through others.

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

#: What each part of the package may import from it besides itself: the model at the bottom,
#: collect and render on it, the Sphinx glue (build) on those, directives and agreements side
#: by side on top, and the command line over everything. ``__init__`` is the package's own
#: (``__version__``; ``setup()`` wires build, directives and agreements).
_BELOW_SPHINX = {"model", "config", "collect", "render"}
LAYERS: dict[str, set[str]] = {
    "model": set(),
    "config": {"model"},
    "collect": {"model", "config"},
    "render": {"model", "config"},
    "site": {*_BELOW_SPHINX, "__init__"},
    "build": _BELOW_SPHINX,
    "directives": {*_BELOW_SPHINX, "build"},
    "agreements": {*_BELOW_SPHINX, "build"},
    "checks": {"model", "agreements"},
    "cli": {*_BELOW_SPHINX, "site", "__init__"},
    "__main__": {"cli"},
    "__init__": {"config", "build", "directives", "agreements"},
}
#: Sphinx and docutils are the upper stages' business; collect uses napoleon's text
#: conversion only (Google/NumPy docstrings to reST fields).
FORBIDDEN_EXTERNAL = {
    "model": ("sphinx", "docutils", "jinja2"),
    "collect": ("docutils", "sphinx.util", "sphinx.application", "sphinx.environment"),
    "render": ("sphinx", "docutils"),
}
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def stage_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imports(path: Path) -> list[str]:
    """Absolute names the module imports, type-checking-only imports included
    (``from a.b import c`` gives ``a.b.c``, be ``c`` a module or a name in one)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def internal_stage(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "sphinxext_etl":
        return None
    # ``from sphinxext_etl import __version__`` reads the package's own ``__init__``.
    return parts[1] if len(parts) > 1 and not parts[1].startswith("__") else "__init__"


def test_every_part_of_the_package_is_in_the_table() -> None:
    assert {stage_of(path) for path in modules()} == set(LAYERS)


@pytest.mark.parametrize("stage", sorted(LAYERS))
def test_no_part_imports_upward(stage: str) -> None:
    problems = []
    for path in modules():
        if stage_of(path) != stage:
            continue
        for name in imports(path):
            target = internal_stage(name)
            if target is not None and target != stage and target not in LAYERS[stage]:
                problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
            if any(
                name == f or name.startswith(f + ".") for f in FORBIDDEN_EXTERNAL.get(stage, ())
            ):
                problems.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert problems == []


def module_name(path: Path) -> str:
    parts = ("sphinxext_etl", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """``module -> the package's modules it names in an import`` (``from pkg import mod``
    names ``pkg.mod``; a parent package run on the way is not counted)."""
    names = {module_name(path): path for path in modules()}
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        found = set()
        for imported in imports(path):
            while imported and imported not in names:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                found.add(imported)
        graph[name] = found
    return graph


def test_no_import_circle() -> None:
    graph = import_graph()
    circles: list[list[str]] = []
    done: set[str] = set()

    def walk(module: str, trail: list[str]) -> None:
        if module in trail:
            circles.append([*trail[trail.index(module) :], module])
            return
        if module in done:
            return
        for imported in sorted(graph[module]):
            walk(imported, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        walk(module, [])
    assert circles == []


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
