"""How defaults and annotations compare across catalogs: one spelling for texts that mean
the same (memory addresses dropped, set literals and unions in one order, ``Optional[X]`` as
``X | None``). Text that is not Python is compared as it is."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable

# Older catalogs kept the addresses of default objects, which differ on every run.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_BUILTIN_GENERICS = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}


def shown(text: str) -> str:
    """A value as changes report it: without memory addresses."""
    return _ADDRESS.sub("", text)


def _expression(text: str) -> ast.expr | None:
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return None


class _SortedSets(ast.NodeTransformer):
    def visit_Set(self, node: ast.Set) -> ast.AST:
        self.generic_visit(node)
        node.elts.sort(key=ast.unparse)
        return node


def normal_default(text: str) -> str:
    """A default's text as compared: set literals (also inside ``frozenset(...)``) in one
    order, as their order in a repr is arbitrary. Text that is not Python is kept as it is."""
    text = shown(text)
    tree = _expression(text) if "{" in text else None
    return text if tree is None else ast.unparse(_SortedSets().visit(tree))


def _union(members: Iterable[ast.expr]) -> ast.expr:
    """``A | B``, flattened, deduplicated and sorted: a union's order means nothing."""
    flat: dict[str, ast.expr] = {}
    pending = list(members)
    while pending:
        member = pending.pop()
        if isinstance(member, ast.BinOp) and isinstance(member.op, ast.BitOr):
            pending += [member.left, member.right]
        else:
            flat[ast.unparse(member)] = member
    ordered = [flat[key] for key in sorted(flat)]
    return functools.reduce(lambda union, member: ast.BinOp(union, ast.BitOr(), member), ordered)


class _TypeSpelling(ast.NodeTransformer):
    """One spelling per type: ``Optional[X]``, ``Union[X, None]`` and ``X | None`` alike,
    ``typing.List`` as ``list``, and quoted forward references unquoted."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        inner = _expression(node.value) if isinstance(node.value, str) else None
        return node if inner is None else self.visit(inner)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name(_BUILTIN_GENERICS.get(node.id, node.id))

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id in ("typing", "typing_extensions"):
            return self.visit_Name(ast.Name(node.attr))
        return self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        node.value = self.visit(node.value)
        name = node.value.id if isinstance(node.value, ast.Name) else ""
        if name == "Literal":
            return node  # its strings are values, not forward references
        node.slice = self.visit(node.slice)
        if name == "Optional":
            return _union([node.slice, ast.Constant(None)])
        if name == "Union":
            return _union(node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice])
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        return _union([node]) if isinstance(node.op, ast.BitOr) else node


def normal_annotation(text: str) -> str:
    """An annotation's text as compared (see :class:`_TypeSpelling`)."""
    text = shown(text)
    tree = _expression(text)
    if tree is None:
        return " ".join(text.split())
    return ast.unparse(_TypeSpelling().visit(tree))
