"""Versioned publishing: add one built release to a site tree that keeps every earlier release."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

LATEST = "latest"
MANIFEST = "versions.json"
_VERSION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
# What the build leaves beside the HTML that a published site does not need.
_BUILD_LEFTOVERS = shutil.ignore_patterns(".doctrees", ".buildinfo")


def version_key(name: str) -> tuple[Any, ...]:
    """How ``name`` sorts among releases: parseable versions by value, anything else below
    them by name."""
    try:
        return (1, Version(name))
    except InvalidVersion:
        return (0, name)


def is_stable(name: str) -> bool:
    """Whether ``name`` is a version, and not a pre-release (nor a development release)."""
    kind, version = version_key(name)
    return kind == 1 and not (version.is_prerelease or version.is_devrelease)


@dataclass(frozen=True)
class Manifest:
    """The content of ``versions.json``: every published release, newest first, and the latest."""

    versions: tuple[str, ...]
    latest: str | None

    def to_json(self) -> str:
        data = {
            "latest": self.latest,
            "versions": [
                {"version": v, "url": f"{v}/", "latest": v == self.latest} for v in self.versions
            ],
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def read(cls, site: Path) -> Manifest:
        path = site / MANIFEST
        if not path.is_file():
            return cls(versions=(), latest=None)
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(entry["version"] for entry in data["versions"]), data["latest"])


def check_version_name(version: str) -> None:
    """Refuse names that are not a single, safe folder name (``ValueError``)."""
    if version == LATEST or not _VERSION_NAME.fullmatch(version) or ".." in version:
        raise ValueError(f"{version!r} cannot be a version folder name")


def updated_manifest(old: Manifest, version: str, site: Path, latest: bool | None) -> Manifest:
    """The manifest after publishing ``version``.

    ``latest``: True makes ``version`` the latest, False keeps the current latest, None (the
    default) makes the newest stable release the latest.
    """
    names = {v for v in old.versions if (site / v).is_dir()} | {version}
    ordered = tuple(sorted(names, key=version_key, reverse=True))
    if latest is True:
        return Manifest(ordered, version)
    if latest is False:
        return Manifest(ordered, old.latest if old.latest in names else None)
    stable = [v for v in ordered if is_stable(v)]
    return Manifest(ordered, stable[0] if stable else None)


def redirect_page(target: str) -> str:
    """A root ``index.html`` that forwards to ``target`` (keeping query string and anchor)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Redirecting to {target}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
<script>
window.location.replace("{target}" + window.location.search + window.location.hash);
</script>
</head>
<body><p>This page has moved to <a href="{target}">{target}</a>.</p></body>
</html>
"""


def _replace_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=_BUILD_LEFTOVERS)


def publish(html: Path, site: Path, version: str, latest: bool | None = None) -> Manifest:
    """Copy the build ``html`` into ``site/<version>/`` and refresh ``latest/``, the manifest,
    the root redirect and ``.nojekyll``. Other versions in ``site`` are left as they are."""
    check_version_name(version)
    if not (html / "index.html").is_file():
        raise FileNotFoundError(f"{html} is not an HTML build: it has no index.html")
    site.mkdir(parents=True, exist_ok=True)
    _replace_tree(html, site / version)
    manifest = updated_manifest(Manifest.read(site), version, site, latest)
    if manifest.latest is not None:
        _replace_tree(site / manifest.latest, site / LATEST)
    elif (site / LATEST).exists():
        shutil.rmtree(site / LATEST)
    (site / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    home = f"{LATEST}/" if manifest.latest else f"{manifest.versions[0]}/"
    (site / "index.html").write_text(redirect_page(home), encoding="utf-8")
    # GitHub Pages' Jekyll would hide Sphinx's _static/ and _sources/ folders.
    (site / ".nojekyll").touch()
    return manifest
