"""``ast_facts.references`` in one walk finds what two walks with ``ast.walk`` found: every
name and attribute chain (each part of a chain too), in-body imports, and names inside string
annotations, but not ``self``'s attributes."""

from __future__ import annotations

import argparse
import ast
import contextlib
import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import sphinx.application

from sphinxext_etl.collect import ast_facts
from sphinxext_etl.collect.ast_facts import Reference, attribute_chain, references

SOURCE = """
import typing
from x import hooks


class Uses(Base):
    hook_class: "type[hooks.PostgresHook] | None" = None

    def __init__(self, conn: "db.Conn", *, client: "Client" = lambda q: q.run, **kwargs) -> "Out":
        super().__init__(**kwargs)
        self.hook = hooks.HttpHook(conn).session.get(self.url)
        make().result.value

    def execute(self, context: typing.Any) -> "broken (":
        from airflow.providers.ftp.hooks.ftp import FTPHook, sftp as alias
        from . import local
        from .near import Near
        return [S3Hook(), FTPHook.default_conn_name, context["ti"].xcom_pull()]
"""


def _walked(node: ast.ClassDef) -> frozenset[Reference]:
    """What ``references`` found before it walked once: ``ast.walk`` over the class and over
    each string annotation in it."""
    trees: list[ast.AST] = [node]
    for sub in ast.walk(node):
        if isinstance(sub, (ast.arg, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef)):
            annotation = getattr(sub, "annotation", None) or getattr(sub, "returns", None)
            if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
                with contextlib.suppress(SyntaxError):
                    trees.append(ast.parse(annotation.value, mode="eval"))
    found: set[Reference] = set()
    for tree in trees:
        for sub in ast.walk(tree):
            if isinstance(sub, ast.ImportFrom) and sub.module and not sub.level:
                found.update(Reference(f"{sub.module}.{a.name}", True) for a in sub.names)
            elif isinstance(sub, (ast.Attribute, ast.Name)):
                chain = attribute_chain(sub)
                if chain and chain != "self" and not chain.startswith("self."):
                    found.add(Reference(chain))
    return frozenset(found)


def _classes(tree: ast.AST) -> Iterator[ast.ClassDef]:
    yield from (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))


def test_names_chains_imports_and_string_annotations() -> None:
    (node,) = _classes(ast.parse(SOURCE))
    found = references(node)
    chains = {r.chain for r in found if not r.imported}
    imported = {r.chain for r in found if r.imported}
    assert {"hooks.HttpHook", "hooks", "Base", "S3Hook", "make", "context"} <= chains
    assert {
        "hooks.PostgresHook",
        "db.Conn",
        "db",
        "typing.Any",
        "type",
        "q.run",
        "Client",
    } <= chains
    assert not {c for c in chains if c == "self" or c.startswith("self.")}
    assert "make.result" not in chains and "result.value" not in chains
    assert imported == {
        "airflow.providers.ftp.hooks.ftp.FTPHook",
        "airflow.providers.ftp.hooks.ftp.sftp",
    }
    assert found == _walked(node)


def test_the_same_as_two_walks_over_real_sources() -> None:
    files = [
        *(inspect.getfile(module) for module in (argparse, typing, sphinx.application)),
        *sorted(str(p) for p in Path(ast_facts.__file__).parent.glob("*.py")),
    ]
    compared = 0
    for path in files:
        tree = ast_facts.parse_file(path)
        assert tree is not None
        for node in _classes(tree):
            assert references(node) == _walked(node), (path, node.name)
            compared += 1
    assert compared > 20
