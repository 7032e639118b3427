"""Hook to the ACME object store, where every ingested entity is archived as one JSON document."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from acme_platform._compat import BaseHook

ARCHIVE_SCHEME = "acme-archive"
"""URL scheme of the archive: ``acme-archive://<domain>/<entity_type>/<yyyy>/<mm>/<dd>/<id>.json``."""

# One path segment: letters, digits, ``_``, ``-`` and ``.``, never starting with a dot, so that a
# domain, entity type or entity id can never climb out of its place in the archive.
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")
_ARCHIVE_PATH = re.compile(
    r"/(?P<entity_type>[^/]+)/(?P<yyyy>\d{4})/(?P<mm>\d{2})/(?P<dd>\d{2})/(?P<entity_id>[^/]+)\.json"
)


class ObjectStoreHook(BaseHook):
    """
    Archive entities in the ACME object store, under a predefined URL scheme.

    Every archived entity has exactly one URL::

        acme-archive://<domain>/<entity_type>/<yyyy>/<mm>/<dd>/<entity_id>.json

    where the date is the day the entity was archived for (normally the DAG run's logical date).
    Archiving the same entity twice on the same day replaces the earlier document.

    The connection's host names the storage backend. This release supports the ``file`` backend,
    which keeps the archive in a local or mounted directory named by the ``base_path`` extra: the
    URL above is stored at ``<base_path>/<domain>/<entity_type>/<yyyy>/<mm>/<dd>/<entity_id>.json``.
    Creating the hook does not read the connection; the first archive call does.

    :param object_store_conn_id: ID of the ``acme_object_store`` connection to archive through.
    """

    conn_name_attr = "object_store_conn_id"
    default_conn_name = "acme_object_store_default"
    conn_type = "acme_object_store"
    hook_name = "ACME Object Store"

    supported_backends = ("file",)

    def __init__(self, object_store_conn_id: str = default_conn_name, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.object_store_conn_id = object_store_conn_id
        self._base_path: Path | None = None

    @classmethod
    def get_connection_form_widgets(cls) -> dict[str, Any]:
        """Return the extra field that the connection form shows for the archive's base path."""
        # The UI's form libraries are only present where the webserver runs; import them here so
        # that importing this module never needs them.
        from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
        from flask_babel import lazy_gettext
        from wtforms import StringField

        return {
            "base_path": StringField(lazy_gettext("Base path"), widget=BS3TextFieldWidget()),
        }

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        """Return how the connection form hides, relabels and prefills the standard fields."""
        return {
            "hidden_fields": ["schema", "login", "password", "port", "extra"],
            "relabeling": {"host": "Backend"},
            "placeholders": {"host": "file", "base_path": "/srv/acme/archive"},
        }

    def get_conn(self) -> Path:
        """
        Return the directory that holds the archive, read once from the connection.

        :raises ValueError: if the connection names an unsupported backend or no ``base_path``.
        """
        if self._base_path is None:
            conn = self.get_connection(self.object_store_conn_id)
            backend = (conn.host or "").strip()
            if backend not in self.supported_backends:
                raise ValueError(
                    f"Connection {self.object_store_conn_id!r} names backend {backend!r}; "
                    f"ObjectStoreHook supports {', '.join(self.supported_backends)}."
                )
            base_path = conn.extra_dejson.get("base_path")
            if not base_path:
                raise ValueError(
                    f"Connection {self.object_store_conn_id!r} has no 'base_path' extra."
                )
            self._base_path = Path(base_path).expanduser()
        return self._base_path

    def test_connection(self) -> tuple[bool, str]:
        """Check that the archive directory exists and is writable."""
        try:
            base_path = self.get_conn()
        except Exception as err:
            return False, str(err)
        if not base_path.is_dir():
            return False, f"Archive directory {base_path} does not exist."
        if not os.access(base_path, os.W_OK):
            return False, f"Archive directory {base_path} is not writable."
        return True, f"Archive directory {base_path} is writable."

    @staticmethod
    def build_archive_url(
        domain: str, entity_type: str, entity_id: str | int, when: date | str
    ) -> str:
        """
        Return the archive URL of one entity.

        :param domain: business domain that owns the entity, such as ``sales``.
        :param entity_type: kind of entity, such as ``customer``.
        :param entity_id: the entity's identifier within its type.
        :param when: the day the entity is archived for: a date, a datetime or an ISO date string.
        :raises ValueError: if a part is empty or contains characters other than letters,
            digits, ``_``, ``-`` and ``.``.
        """
        day = _as_date(when)
        return (
            f"{ARCHIVE_SCHEME}://{_checked_segment('domain', domain)}"
            f"/{_checked_segment('entity_type', entity_type)}"
            f"/{day:%Y}/{day:%m}/{day:%d}"
            f"/{_checked_segment('entity_id', entity_id)}.json"
        )

    def archive_entity(
        self,
        domain: str,
        entity_type: str,
        entity_id: str | int,
        entity: Mapping[str, Any],
        when: date | str,
        *,
        overwrite: bool = True,
    ) -> str:
        """
        Write one entity to the archive as JSON and return its archive URL.

        The document is written to a temporary file and moved into place, so readers never see
        a half-written entity.

        :param domain: business domain that owns the entity.
        :param entity_type: kind of entity.
        :param entity_id: the entity's identifier within its type.
        :param entity: the entity itself; values JSON cannot represent are written as strings.
        :param when: the day the entity is archived for.
        :param overwrite: replace an entity already archived at the same URL; if false, raise.
        :raises FileExistsError: if ``overwrite`` is false and the entity is already archived.
        """
        url = self.build_archive_url(domain, entity_type, entity_id, when)
        target = self._local_path(url)
        if not overwrite and target.exists():
            raise FileExistsError(f"{url} is already archived.")
        target.parent.mkdir(parents=True, exist_ok=True)
        document = json.dumps(dict(entity), indent=2, sort_keys=True, default=str)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, suffix=".tmp", delete=False
        ) as handle:
            handle.write(document + "\n")
        os.replace(handle.name, target)
        self.log.info("Archived %s", url)
        return url

    def exists(self, url: str) -> bool:
        """
        Return whether an entity is archived at ``url``.

        :param url: an ``acme-archive://`` URL, as returned by :meth:`build_archive_url`.
        :raises ValueError: if ``url`` does not follow the archive's URL scheme.
        """
        return self._local_path(url).is_file()

    def _local_path(self, url: str) -> Path:
        """Map an archive URL onto the file that stores it under the connection's base path."""
        parts = urlsplit(url)
        match = _ARCHIVE_PATH.fullmatch(parts.path)
        if parts.scheme != ARCHIVE_SCHEME or not parts.netloc or match is None:
            raise ValueError(
                f"{url!r} is not an archive URL "
                f"({ARCHIVE_SCHEME}://<domain>/<entity_type>/<yyyy>/<mm>/<dd>/<entity_id>.json)."
            )
        # Re-checking every segment keeps a hand-written URL inside the archive directory.
        segments = [
            _checked_segment("domain", parts.netloc),
            _checked_segment("entity_type", match["entity_type"]),
            match["yyyy"],
            match["mm"],
            match["dd"],
            _checked_segment("entity_id", match["entity_id"]) + ".json",
        ]
        return self.get_conn().joinpath(*segments)


def _as_date(when: date | str) -> date:
    """Return the calendar day of a date, a datetime or an ISO date or timestamp string."""
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, date):
        return when
    return date.fromisoformat(str(when)[:10])


def _checked_segment(name: str, value: str | int) -> str:
    """Return ``value`` as a URL path segment, or raise if it cannot be one."""
    text = str(value)
    if not _SEGMENT.fullmatch(text):
        raise ValueError(
            f"{name} {text!r} must be letters, digits, '_', '-' or '.' and not start with '.'."
        )
    return text
