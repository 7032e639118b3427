"""``init``: a team's docs site rendered from the site template (conf.py, index, conventions,
agreements, reference, build script and CI workflow)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

import jinja2

TEMPLATE_SUFFIX = ".jinja"
_SKIPPED = {"__pycache__", ".keep"}
IMPORT_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


@dataclass(frozen=True)
class SiteOptions:
    """The template's variables."""

    project: str
    packages: list[str]
    providers: str | list[str]
    author: str
    year: int


@dataclass(frozen=True)
class SiteFile:
    """One file of the rendered site: where it goes and what it holds."""

    path: PurePosixPath
    content: bytes
    executable: bool


def template_root() -> Traversable:
    """The site template: packaged in the wheel, or the repository's top-level folder."""
    packaged = resources.files("sphinxext_etl").joinpath("site_template")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "site_template"


def _walk(
    folder: Traversable, prefix: PurePosixPath
) -> Iterator[tuple[PurePosixPath, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name in _SKIPPED:
            continue
        if entry.is_dir():
            yield from _walk(entry, prefix / entry.name)
        else:
            yield prefix / entry.name, entry


def render_site(options: SiteOptions, root: Traversable | None = None) -> list[SiteFile]:
    """Every file of the site: ``*.jinja`` rendered (and renamed without it), others copied."""
    env = jinja2.Environment(
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Values go into conf.py as Python literals; JSON strings and lists are valid Python.
    env.filters["py"] = lambda value: json.dumps(value, ensure_ascii=False)
    files = []
    for path, entry in _walk(root or template_root(), PurePosixPath()):
        content = entry.read_bytes()
        if path.name.endswith(TEMPLATE_SUFFIX):
            path = path.with_name(path.name.removesuffix(TEMPLATE_SUFFIX))
            content = env.from_string(content.decode("utf-8")).render(asdict(options)).encode()
        files.append(SiteFile(path, content, executable=path.suffix == ".sh"))
    return files


def write_site(files: Sequence[SiteFile], target: Path) -> None:
    for file in files:
        destination = target.joinpath(file.path)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(file.content)
        if file.executable:
            destination.chmod(0o755)


def package_name(directory: Path) -> str:
    """A Python identifier derived from a folder name: ``acme-docs`` gives ``acme_docs``."""
    name = re.sub(r"\W+", "_", directory.resolve().name).strip("_").lower() or "platform"
    return f"_{name}" if name[0].isdigit() else name


def parse_providers(value: str) -> str | list[str]:
    """``"all"``, or a comma-separated list of provider distribution names (may be empty)."""
    value = value.strip()
    if value == "all":
        return "all"
    return [name.strip() for name in value.split(",") if name.strip()]
