"""Jinja environment for generated reStructuredText; a site's ``templates_path`` comes first,
so teams can override any template the extension ships."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"

_ROLE = re.compile(r":(?:[\w+-]+:)*[\w+-]+:`(?P<body>[^`]+)`")
_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_SPECIAL = re.compile(r"([\\*`|_\[\]])")
#: How a line can start a block construct instead of a paragraph: punctuation (a bullet, a
#: transition, a quote, a comment, a field marker; but not an inline literal, a role or an
#: escape), or an enumerator (``1.``, ``2)``, ``A.``).
_BLOCK_START = re.compile(r"(?!``|:\w+:`|\\)[^\w\s]|\d+[.)](\s|$)|[A-Za-z][.)](\s|$)")


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
    literals (a team site may lack their targets), other markup characters are escaped."""
    pieces: list[str] = []
    last = 0
    for match in _ROLE.finditer(text):
        pieces.append(_SPECIAL.sub(r"\\\1", text[last : match.start()]))
        pieces.append(literal(role_text(match["body"])))
        last = match.end()
    pieces.append(_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(pieces).strip()


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


@functools.cache
def environment(search_path: tuple[str, ...]) -> SandboxedEnvironment:
    """A sandboxed environment looking in ``search_path`` (the site's), then the package."""
    env = SandboxedEnvironment(
        loader=ChoiceLoader(
            [FileSystemLoader(list(search_path)), FileSystemLoader(PACKAGE_TEMPLATES)]
        ),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["plain"] = plain
    env.filters["literal"] = literal
    env.filters["heading"] = heading
    env.filters["link"] = link
    return env


def site_search_path(confdir: str | Path, templates_path: list[str]) -> tuple[str, ...]:
    return tuple(str(Path(confdir, p)) for p in templates_path)
