"""The one Jinja environment for generated reStructuredText, with every filter registered
once. A site's ``templates_path`` comes first, so teams can override any template."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from sphinxext_etl.render import connection, text

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


def guide_url(guide: str) -> str:
    """``/docs/<dist>/operators/bash.rst`` -> that page in the dist's stable upstream docs."""
    parts = guide.strip("/").removesuffix(".rst").split("/")
    if len(parts) > 2 and parts[0] == "docs":
        return "https://airflow.apache.org/docs/{}/stable/{}.html".format(
            parts[1], "/".join(parts[2:])
        )
    return "https://airflow.apache.org" + guide


def guide_title(guide: str) -> str:
    return "/".join(guide.removesuffix(".rst").split("/")[3:]) or guide


FILTERS = {
    "plain": text.plain,
    "literal": text.literal,
    "heading": text.heading,
    "link": text.link,
    "xref": text.xref,
    "inline": text.inline,
    "first_line": text.first_line,
    "guide_url": guide_url,
    "guide_title": guide_title,
    "form_fields": connection.form_fields,
    "html": connection.html_attribute,
    "html_id": connection.html_id,
}


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
    env.filters.update(FILTERS)
    env.globals["DASH"] = text.DASH
    return env


def site_search_path(confdir: str | Path, templates_path: list[str]) -> tuple[str, ...]:
    return tuple(str(Path(confdir, p)) for p in templates_path)


def template_stamps(search_path: Iterable[str]) -> list[str]:
    """Every template a page could be rendered from, as it is on disk (path, modification
    time and size): what a rebuild compares to trust what it rendered last time."""
    return sorted(
        f"{path}:{found.st_mtime_ns}:{found.st_size}"
        for root in [*map(Path, search_path), PACKAGE_TEMPLATES]
        for path in root.rglob("*.jinja")
        for found in [path.stat()]
    )
