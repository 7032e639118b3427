"""Published catalogs, for ``sphinx-etl diff`` and a build's ``etl_compare_with``: a previous
release's ``catalog.json`` read from a file, an HTML build folder, or an http(s) URL, with one
clear error for whatever stops it."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from sphinxext_etl.model import Catalog
from sphinxext_etl.model.json import READABLE_SCHEMAS, from_json

#: What an HTML build publishes at its root.
CATALOG_FILE = "catalog.json"
#: Seconds to wait for a server, to connect and then for each read.
DEFAULT_TIMEOUT = 30.0


class CatalogLoadError(Exception):
    """A catalog could not be read or is not one; the message names it and says why."""


def is_url(location: str) -> bool:
    return urllib.parse.urlsplit(location).scheme in ("http", "https")


def _fetch(url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        raise CatalogLoadError(f"{url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise CatalogLoadError(f"{url}: cannot reach it ({error.reason})") from None
    except TimeoutError:
        raise CatalogLoadError(f"{url}: no answer within {timeout:g} seconds") from None
    except (OSError, http.client.HTTPException) as error:
        raise CatalogLoadError(f"{url}: cannot read it ({error})") from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CatalogLoadError(f"{path}: no such file") from None
    except OSError as error:
        raise CatalogLoadError(f"{path}: cannot read it ({error.strerror or error})") from None


def read_catalog_text(location: str, timeout: float = DEFAULT_TIMEOUT) -> tuple[str, str]:
    """``(where it was read, its text)``. A URL ending in ``/`` and a folder (an HTML build
    or a published version's folder) mean the ``catalog.json`` in them."""
    if is_url(location):
        source = location + CATALOG_FILE if location.endswith("/") else location
        data = _fetch(source, timeout)
    else:
        path = Path(location)
        path = path / CATALOG_FILE if path.is_dir() else path
        source, data = str(path), _read(path)
    try:
        return source, data.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogLoadError(f"{source}: not UTF-8 text, so not a catalog.json") from None


def parse_catalog(text: str, source: str) -> Catalog:
    """The catalog in ``text``; ``CatalogLoadError`` for anything but a ``catalog.json`` of
    a schema this version reads."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogLoadError(f"{source}: not JSON ({error})") from None
    if not isinstance(data, dict) or "components" not in data:
        raise CatalogLoadError(f"{source}: not a catalog.json (it has no components)")
    if data.get("schema") not in READABLE_SCHEMAS:
        raise CatalogLoadError(
            f"{source}: catalog schema {data.get('schema')!r}; this sphinx-etl reads "
            f"schemas {', '.join(map(str, READABLE_SCHEMAS))}"
        )
    try:
        return from_json(Catalog, data)
    except (TypeError, KeyError, ValueError, AttributeError) as error:
        raise CatalogLoadError(f"{source}: not a valid catalog ({error})") from None


def read_published_catalog(location: str, timeout: float = DEFAULT_TIMEOUT) -> Catalog:
    """The catalog at ``location``: a path, a build folder, or an http(s) URL."""
    source, text = read_catalog_text(location, timeout)
    return parse_catalog(text, source)
