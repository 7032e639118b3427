"""Repairs that let any docstring be parsed inside a directive: what docstrings commonly get
wrong for a page that renders them (section titles, dangling ``::``, version directives
without a version), and the blocks a docstring that still fails is cut into."""

from __future__ import annotations

import re
from collections.abc import Collection

#: Characters docutils accepts for section adornments.
_ADORNMENT = re.compile(r"^(?P<indent>[ \t]*)(?P<char>[!-/:-@\[-`{-~])(?P=char){2,}[ \t]*$")
#: Directives whose content is code, to be kept as written.
_CODE_DIRECTIVE = re.compile(
    r"^\s*\.\.\s+(?:code-block|code|sourcecode|parsed-literal|doctest|testcode|testoutput"
    r"|ipython|math)::"
)
_EXPLICIT = re.compile(r"^\s*\.\.\s")
#: Version directives that need a version; written without one they become admonitions.
_VERSION_DIRECTIVE = re.compile(
    r"^(?P<indent>\s*)\.\.\s+(?P<name>deprecated|versionadded|versionchanged|versionremoved)::\s*$"
)
_VERSION_LABELS = {
    "deprecated": "Deprecated",
    "versionadded": "Added",
    "versionchanged": "Changed",
    "versionremoved": "Removed",
}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _blank(lines: list[str], index: int) -> bool:
    return index < 0 or index >= len(lines) or not lines[index].strip()


_adornment = _ADORNMENT.match


def code_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines that are code: the indented block after a paragraph ending in
    ``::``, and the content of code directives. Repairs leave them as written."""
    found: set[int] = set()
    opener: int | None = None
    for index, line in enumerate(lines):
        if opener is not None:
            if not line.strip() or _indent(line) > opener:
                found.add(index)
                continue
            opener = None
        stripped = line.rstrip()
        explicit = _EXPLICIT.match(line)
        if (stripped.endswith("::") and not explicit) or _CODE_DIRECTIVE.match(line):
            opener = _indent(line)
    return found


def titles_as_rubrics(lines: list[str]) -> list[str]:
    """Section titles (underlined, or over- and underlined) become ``.. rubric::`` lines, as
    numpydoc and napoleon do: a docstring is rendered inside a directive, where docutils
    allows no sections. Lone adornment lines (transitions) are dropped for the same reason.
    Code is left as written."""
    code = code_lines(lines)
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if index in code:
            out.append(line)
            index += 1
            continue
        over = _adornment(line)
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        under = _adornment(lines[index + 2]) if index + 2 < len(lines) else None
        overlined = over and under and under["char"] == over["char"]
        if overlined and nxt.strip() and not _adornment(nxt) and _blank(lines, index - 1):
            out.append(f"{' ' * _indent(nxt)}.. rubric:: {nxt.strip()}")
            index += 3
            continue
        next_adornment = _adornment(nxt)
        if (
            line.strip()
            and not over
            and not _EXPLICIT.match(line)
            and next_adornment
            and _indent(nxt) == _indent(line)
            and _blank(lines, index - 1)
        ):
            out.append(f"{' ' * _indent(line)}.. rubric:: {line.strip()}")
            index += 2
            continue
        if over and _blank(lines, index - 1) and _blank(lines, index + 1):
            index += 1
            continue
        out.append(line)
        index += 1
    return out


def literal_markers_with_blocks(lines: list[str]) -> list[str]:
    """A paragraph ending in ``::`` announces an indented literal block; where none follows,
    the marker is read as the single colon it stands for (docutils' own reading of
    ``Paragraph::``; ``Paragraph ::`` reads as ``Paragraph``), instead of an error."""
    code = code_lines(lines)
    out = list(lines)
    for index, line in enumerate(lines):
        stripped = line.rstrip()
        if not stripped.endswith("::") or _EXPLICIT.match(line) or index in code:
            continue
        following = next((n for n in lines[index + 1 :] if n.strip()), None)
        if following is not None and _indent(following) > _indent(line):
            continue
        if stripped.strip() == "::":
            out[index] = ""
        elif stripped[-3].isspace():
            out[index] = stripped[:-2].rstrip()
        else:
            out[index] = stripped[:-1]
    return out


def versionless_directives(lines: list[str]) -> list[str]:
    """``.. deprecated::`` without a version (Sphinx requires one) becomes an admonition."""
    out: list[str] = []
    for line in lines:
        match = _VERSION_DIRECTIVE.match(line)
        label = _VERSION_LABELS[match["name"]] if match else ""
        out += [f"{match['indent']}.. admonition:: {label}", ""] if match else [line]
    return out


def contain_structure(lines: list[str]) -> list[str]:
    """Repairs for what docstrings commonly get wrong for a page that renders them inside a
    directive; what still fails to parse is handled by the caller (as preformatted text)."""
    return versionless_directives(literal_markers_with_blocks(titles_as_rubrics(lines)))


def blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """``(first line index, lines)`` for each top-level block: a block starts at an
    unindented line after a blank one, so indented bodies stay with what introduces them."""
    found: list[tuple[int, list[str]]] = []
    for index, line in enumerate(lines):
        starts = line.strip() and _indent(line) == 0 and _blank(lines, index - 1)
        if starts or not found:
            found.append((index, []))
        found[-1][1].append(line)
    return found


#: A field's marker and name, as docutils reads it: a colon after the name ends it only when
#: followed by a space or the end of the line, so ``:param Dict[str, int] x:`` is one field.
_FIELD = re.compile(
    r"^(?P<indent>[ \t]*):(?P<name>(?![: ])(?:[^:\\]|\\.|:(?![ `]|$))*(?<! )):(?: |$)"
)
#: Fields that document one parameter, with the parameter's name last (``:param str x:``).
_PARAMETER_FIELDS = frozenset(
    {"param", "parameter", "arg", "argument", "key", "keyword", "kwarg", "type", "kwtype"}
)


def _documented_parameter(field: str) -> str | None:
    """The parameter a field's name documents (``param str x`` -> ``x``), else ``None``."""
    kind, _, argument = field.partition(" ")
    if kind not in _PARAMETER_FIELDS or not argument.strip():
        return None
    return argument.split()[-1].replace("\\", "")


def without_parameter_fields(lines: list[str], names: Collection[str]) -> list[str]:
    """``lines`` without the fields that document a parameter in ``names`` (``:param x:``,
    ``:type x:`` and their aliases), each with its indented continuation lines: a page that
    lists those parameters already shows them. Fields for other names, every other field
    (``:returns:``, ``:raises:``) and fields inside code stay."""
    if not names:
        return list(lines)
    code = code_lines(lines)
    out: list[str] = []
    field_indent: int | None = None  # the field list the previous line with text belongs to
    dropping = False
    for index, line in enumerate(lines):
        if not line.strip():
            if not (dropping and _inside_field(lines, index, field_indent)):
                out.append(line)
            continue
        indent = _indent(line)
        if field_indent is not None and indent > field_indent:  # a field's continuation
            if not dropping:
                out.append(line)
            continue
        field = None if index in code else _FIELD.match(line)
        if field and (_blank(lines, index - 1) or field_indent == indent):
            field_indent = indent
            dropping = _documented_parameter(field["name"]) in names
        else:
            field_indent, dropping = None, False
        if not dropping:
            out.append(line)
    return out


def _inside_field(lines: list[str], index: int, field_indent: int | None) -> bool:
    """Whether the blank line at ``index`` is inside a field's body: the next line with text
    is indented under the field."""
    following = next((n for n in lines[index + 1 :] if n.strip()), None)
    return field_indent is not None and following is not None and _indent(following) > field_indent
