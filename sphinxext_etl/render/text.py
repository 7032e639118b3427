"""Text helpers for generated reStructuredText: what a docstring's text or a name becomes when
it is embedded in a table cell, a title, a link or a literal, so that it stays what it was."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

#: What an empty cell shows.
DASH = "\u2014"

_ROLE = re.compile(r":(?:[\w+-]+:)*[\w+-]+:`(?P<body>[^`]+)`")
_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_SPECIAL = re.compile(r"([\\*`|_\[\]])")
#: How a line can start a block construct instead of a paragraph: punctuation (a bullet, a
#: transition, a quote, a comment, a field marker; but not an inline literal, a role or an
#: escape), or an enumerator (``1.``, ``2)``, ``A.``, ``iv.``; any run of Roman-numeral
#: letters, since escaping a word like ``Mix.`` costs nothing).
_BLOCK_START = re.compile(
    r"(?!``|:\w+:`|\\)[^\w\s]|\d+[.)](\s|$)|(?:[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)](\s|$)"
)


def role_text(body: str) -> str:
    """What a role shows: its explicit title, else the target (``~`` keeps the last part)."""
    match = _TITLED.match(body)
    if match and match["title"]:
        return match["title"]
    target = body.strip()
    if target.startswith("~"):
        return target[1:].rpartition(".")[2]
    return target.lstrip("!")


def plain(text: str) -> str:
    """One line of docstring text made safe to embed in generated reST: roles become
    literals (a team site may lack their targets), other markup characters are escaped, and
    it stays a paragraph where it starts a line (see :func:`inert`)."""
    return inert(_markup_escaped(text))


def _markup_escaped(text: str) -> str:
    """Roles as literals, other markup characters escaped, the ends stripped."""
    # Split on roles, the odd parts are their bodies.
    parts = _ROLE.split(text)
    escaped = (
        literal(role_text(p)) if i % 2 else _SPECIAL.sub(r"\\\1", p) for i, p in enumerate(parts)
    )
    return "".join(escaped).strip()


def inert(text: str) -> str:
    """Text that stays a paragraph (or a title) wherever generated reST embeds it: one that
    would start a list, a transition, a quote or a field list gets a leading backslash."""
    return "\\" + text if _BLOCK_START.match(text) else text


def escaped(text: str) -> str:
    """Text with every reST markup character escaped, whitespace folded to single spaces."""
    return inert(_SPECIAL.sub(r"\\\1", " ".join(text.split())))


def heading(text: str, char: str = "=") -> str:
    """A section title and its underline, as wide as the title is on screen."""
    title = escaped(text) or "Untitled"
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in title)
    return f"{title}\n{char * width}"


def link(text: str, url: str) -> str:
    """An anonymous hyperlink, or the escaped text where the URL is missing or unusable."""
    label = escaped(text)
    url = url.strip()
    if not url or any(ch in url for ch in "<>` \\"):
        return label or escaped(url)
    return f"`{label or url} <{url}>`__"


def literal(text: str) -> str:
    """``text`` as an inline literal, safe whatever it contains."""
    text = " ".join(text.split())
    if not text:
        return ""
    if "``" in text or text.startswith("`") or text.endswith("`"):
        return ":literal:`" + text.replace("\\", "\\\\").replace("`", "\\`") + "`"
    return f"``{text}``"


def xref(path: str, title: str = "") -> str:
    """A class reference: to the component's page, upstream through intersphinx, else text."""
    return f":etl-class:`{title} <{path}>`" if title else f":etl-class:`~{path}`"


#: A literal, captured: splitting on it, the odd parts are literals.
_LITERAL = re.compile(r"(``(?!\s).+?(?<!\s)``)")
_HYPERLINK = re.compile(r"`([^`<]+?)\s*<[^<>`]+>`__?")
_LITERAL_MARKER = re.compile(r"\s*::$")


def _escaped_between(segment: str) -> str:
    """Text between literals with its markup escaped, keeping the space that parts it from
    them."""
    lead = segment[: len(segment) - len(segment.lstrip())]
    return lead + _markup_escaped(segment) + segment[len(segment.rstrip()) :]


def inline(text: str) -> str:
    """Docstring text for a table cell: ``literals`` stay, other markup is made inert."""
    parts = _LITERAL.split(_HYPERLINK.sub(r"\1", text))
    joined = "".join(p if i % 2 else _escaped_between(p) for i, p in enumerate(parts))
    # A cell is one paragraph: a literal-block marker there announces a block that never
    # comes, so it reads as the colon it stands for.
    return inert(_LITERAL_MARKER.sub(":", " ".join(joined.split())).rstrip())


#: How a piece of inline text is shown: ``class`` is a reference to the Python class
#: ``target`` (``etl-class``: a quiet one, as the ``etl-class`` role gives), ``path`` an import
#: path, ``prose`` inline reST (text from code, made safe by :func:`plain` or :func:`inline`),
#: the others as they say.
Style = Literal["literal", "emphasis", "strong", "class", "etl-class", "path", "prose"]


@dataclass(frozen=True)
class Inline:
    """A styled piece of a paragraph that a directive builds as nodes (a catalog's cell, a
    fact); the paragraph's plain text pieces are strings."""

    style: Style
    text: str
    target: str = ""


Piece = str | Inline


def code(text: str) -> Inline:
    """``text`` as a literal, on one line (whitespace folded, as in a reST literal)."""
    return Inline("literal", " ".join(text.split()))


def listed(items: Iterable[Sequence[Piece]], empty: str = "") -> tuple[Piece, ...]:
    """Items apart by commas; ``empty`` where there are none."""
    found: list[Piece] = []
    for item in items:
        found += [*([", "] if found else []), *item]
    return tuple(found) if found else (empty,)


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")
