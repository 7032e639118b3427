"""Source links and local source pages: a URL from a pattern, or a module cut per class."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinxext_etl.model import Component, Kind
from sphinxext_etl.render import sources

MODULE = """\
\"\"\"Operators.\"\"\"

import os


@first
@second
class AOperator:
    pass


class BOperator:
    pass

"""


def component(
    name: str, line: int, source_file: str = "/src/acme/ops.py", **facts: Any
) -> Component:
    return Component(
        f"acme.ops.{name}",
        Kind.OPERATOR,
        "acme",
        source_file=source_file,
        source_line=line,
        **facts,
    )


def test_relative_path_of_a_module_and_a_package() -> None:
    """A module's file, or a package's ``__init__.py``, relative to the import root (what a
    source link's pattern gets as ``{path}``)."""
    assert component("A", 1).relative_path == "acme/ops.py"
    assert component("A", 1, "/src/acme/ops/__init__.py").relative_path == "acme/ops/__init__.py"


def test_label_and_docname() -> None:
    """Labels are lower-case paths; source pages live in ``_source``."""
    assert sources.label(component("AOperator", 1)) == "etl-source-acme.ops.aoperator"
    assert sources.docname("acme.ops") == "_source/acme.ops"


def test_source_link_with_a_pattern() -> None:
    """The pattern gets the path, line, version and provider (short, and as a path)."""
    hook = Component(
        "airflow.providers.common.sql.hooks.sql.DbApiHook",
        Kind.HOOK,
        "apache-airflow-providers-common-sql",
        owner_version="1.20.0",
        source_file="/site/airflow/providers/common/sql/hooks/sql.py",
        source_line=42,
    )
    pattern = "{provider}|{provider_path}|{version}|{path}#L{line}"
    assert sources.source_link(hook, pattern) == {
        "url": "common-sql|common/sql|1.20.0|airflow/providers/common/sql/hooks/sql.py#L42",
        "text": "airflow/providers/common/sql/hooks/sql.py, line 42",
    }


def test_source_link_local_or_none() -> None:
    """Without a pattern: a label where the line is known; no file, no link."""
    assert sources.source_link(component("A", 8), "") == {"label": "etl-source-acme.ops.a"}
    assert sources.source_link(component("A", 0), "") == {}
    assert sources.source_link(component("A", 8, ""), "x/{path}") == {}


def test_chunks_cut_before_each_class_with_its_decorators() -> None:
    """The head, then one chunk per class from its first decorator; blank edges trimmed and
    line numbers kept."""
    found = sources.chunks(MODULE, [component("BOperator", 12), component("AOperator", 8)])
    assert found == [
        sources.Chunk("", 1, '"""Operators."""\n\nimport os'),
        sources.Chunk(
            "etl-source-acme.ops.aoperator", 6, "@first\n@second\nclass AOperator:\n    pass"
        ),
        sources.Chunk("etl-source-acme.ops.boperator", 12, "class BOperator:\n    pass"),
    ]


def test_chunks_when_a_class_starts_the_module() -> None:
    """No empty head chunk when the first class is on line 1."""
    assert sources.chunks("class A:\n    pass\n", [component("A", 1)]) == [
        sources.Chunk("etl-source-acme.ops.a", 1, "class A:\n    pass")
    ]


def test_modules_groups_components_with_a_known_line() -> None:
    """By module, sorted; components without file or line are left out."""
    other = Component("acme.a.X", Kind.HOOK, "acme", source_file="/src/acme/a.py", source_line=3)
    found = sources.modules([component("B", 5), component("C", 0), other, component("D", 9)])
    assert {m: [c.name for c in cs] for m, cs in found.items()} == {
        "acme.a": ["X"],
        "acme.ops": ["B", "D"],
    }
    assert list(found) == ["acme.a", "acme.ops"]


def test_read_source(tmp_path: Path) -> None:
    """The first member's file, or None where it cannot be read."""
    good = tmp_path / "ops.py"
    good.write_text("x = 1\n", encoding="utf-8")
    bad = tmp_path / "bad.py"
    bad.write_bytes(b"\xff\xfe\x00")
    assert sources.read_source([component("A", 1, str(good))]) == "x = 1\n"
    assert sources.read_source([component("A", 1, str(tmp_path / "gone.py"))]) is None
    assert sources.read_source([component("A", 1, str(bad))]) is None
