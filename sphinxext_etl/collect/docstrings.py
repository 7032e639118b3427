"""Read summaries and parameter descriptions out of docstrings (reST, Google or NumPy style)."""

from __future__ import annotations

import functools
import inspect
import re

from sphinx.ext.napoleon import Config
from sphinx.ext.napoleon.docstring import GoogleDocstring, NumpyDocstring

#: ``:param name:``, ``:param type name:``, ``:parameter name:``, ``:arg name:``, ``:key name:``.
_PARAM_FIELD = re.compile(
    r"^:(?:param|parameter|arg|argument|key|keyword)\s+(?:[^:]*?\s)?\*{0,2}(?P<name>\w+)\s*:(?P<text>.*)$"
)
_ANY_FIELD = re.compile(r"^:\w[^:]*:")


@functools.cache
def _napoleon_config() -> Config:
    return Config(napoleon_use_param=True, napoleon_use_rtype=True, napoleon_use_ivar=True)


def clean(docstring: str | None) -> str:
    """The docstring with indentation normalised, or ``""``."""
    return inspect.cleandoc(docstring) if isinstance(docstring, str) else ""


def summary(docstring: str) -> str:
    """The first paragraph, joined into one line (what autosummary shows)."""
    lines: list[str] = []
    for line in clean(docstring).splitlines():
        if not line.strip():
            if lines:
                break
            continue
        if _ANY_FIELD.match(line.strip()) or line.strip().startswith(".. "):
            break
        lines.append(line.strip())
    return " ".join(lines)


def to_rest(docstring: str) -> str:
    """Google and NumPy sections converted to reST fields, through Sphinx's napoleon."""
    text = clean(docstring)
    config = _napoleon_config()
    # napoleon's own Config is what it reads; its annotations name Sphinx's Config.
    text = str(NumpyDocstring(text, config))  # type: ignore[arg-type]
    return str(GoogleDocstring(text, config))  # type: ignore[arg-type]


def param_descriptions(docstring: str) -> dict[str, str]:
    """``name -> description`` for every documented parameter, whatever the style."""
    return dict(_param_descriptions(docstring))


# A base class's docstrings are read again for each of its subclasses (google: 3,150 reads),
# and napoleon's conversion is most of the cost.
@functools.lru_cache(maxsize=512)
def _param_descriptions(docstring: str) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    current: str | None = None
    for line in to_rest(docstring).splitlines():
        match = _PARAM_FIELD.match(line)
        if match:
            current = match["name"]
            found[current] = match["text"].strip()
        elif current and line[:1].isspace() and line.strip():
            found[current] = f"{found[current]} {line.strip()}".strip()
        else:
            current = None
    return tuple(found.items())
