"""``parse_file`` keeps one parse per version of a file: an edit in a long-lived process
(``sphinx-autobuild``) is read again, an unchanged file is not."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from sphinxext_etl.collect.ast_facts import parse_file


def class_names(tree: ast.Module | None) -> list[str]:
    assert tree is not None
    return [node.name for node in tree.body if isinstance(node, ast.ClassDef)]


def test_an_unchanged_file_is_parsed_once(tmp_path: Path) -> None:
    module = tmp_path / "ops.py"
    module.write_text("class A:\n    pass\n", encoding="utf-8")
    assert parse_file(str(module)) is parse_file(str(module))


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    module = tmp_path / "ops.py"
    module.write_text("class A:\n    pass\n", encoding="utf-8")
    assert class_names(parse_file(str(module))) == ["A"]
    module.write_text("class A:\n    pass\n\n\nclass Bee:\n    pass\n", encoding="utf-8")
    assert class_names(parse_file(str(module))) == ["A", "Bee"]


def test_an_edit_of_the_same_size_is_parsed_again(tmp_path: Path) -> None:
    """The modification time tells it apart (set explicitly: two writes within the clock's
    resolution could share one)."""
    module = tmp_path / "ops.py"
    module.write_text("class A:\n    pass\n", encoding="utf-8")
    os.utime(module, ns=(1_000_000_000, 1_000_000_000))
    assert class_names(parse_file(str(module))) == ["A"]
    module.write_text("class B:\n    pass\n", encoding="utf-8")
    os.utime(module, ns=(2_000_000_000, 2_000_000_000))
    assert class_names(parse_file(str(module))) == ["B"]


def test_a_missing_or_broken_file_is_none(tmp_path: Path) -> None:
    assert parse_file(str(tmp_path / "gone.py")) is None
    broken = tmp_path / "broken.py"
    broken.write_text("class (:\n", encoding="utf-8")
    assert parse_file(str(broken)) is None
