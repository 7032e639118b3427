"""Source links: a URL from ``etl_source_url``, or local viewcode-style pages that cut a module's
code where each component's class starts, so a component page can link to its line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sphinxext_etl.model import PROVIDER_PREFIX, Component

#: Under the reference folder.
SOURCE_FOLDER = "_source"


@dataclass(frozen=True)
class Chunk:
    #: Label of the component whose class starts the chunk; empty for the module's head.
    label: str
    first_line: int
    text: str


def label(component: Component) -> str:
    return f"etl-source-{component.path.lower()}"


def docname(module: str) -> str:
    return f"{SOURCE_FOLDER}/{module}"


def source_link(component: Component, pattern: str) -> dict[str, str]:
    """What the component page's template needs to link the source, or ``{}`` for no link.
    ``pattern`` is the URL pattern that applies to the component; empty means a local page."""
    if not component.source_file:
        return {}
    if pattern:
        path = component.relative_path
        provider = component.owner.removeprefix(PROVIDER_PREFIX)
        return {
            "url": pattern.format(
                path=path,
                line=component.source_line,
                version=component.owner_version,
                provider=provider,
                provider_path=provider.replace("-", "/"),
            ),
            "text": f"{path}, line {component.source_line}",
        }
    return {"label": label(component)} if component.source_line else {}


def _start_with_decorators(lines: list[str], class_line: int) -> int:
    # A line past the end (a file edited since it was read) cuts at the last line.
    start = max(1, min(class_line, len(lines)))
    while start > 1 and lines[start - 2].lstrip().startswith("@"):
        start -= 1
    return start


def chunks(text: str, components: Iterable[Component]) -> list[Chunk]:
    """The module cut before every component's class (decorators included), blank edges
    trimmed and line numbers kept."""
    lines = text.splitlines()
    starts = sorted(
        {_start_with_decorators(lines, c.source_line): label(c) for c in components}.items()
    )
    bounds = [(1, ""), *starts] if not starts or starts[0][0] > 1 else starts
    found: list[Chunk] = []
    for index, (first, name) in enumerate(bounds):
        last = bounds[index + 1][0] - 1 if index + 1 < len(bounds) else len(lines)
        piece = lines[first - 1 : last]
        while piece and not piece[0].strip():
            piece.pop(0)
            first += 1
        while piece and not piece[-1].strip():
            piece.pop()
        if piece or name:
            found.append(Chunk(name, first, "\n".join(piece) or "pass"))
    return found


def modules(components: Iterable[Component]) -> dict[str, list[Component]]:
    """Components with a known source line, by module, for the local source pages."""
    found: dict[str, list[Component]] = {}
    for component in components:
        if component.source_file and component.source_line:
            found.setdefault(component.module, []).append(component)
    return dict(sorted(found.items()))


def read_source(components: list[Component]) -> str | None:
    try:
        return Path(components[0].source_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
