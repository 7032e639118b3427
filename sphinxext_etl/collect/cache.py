"""Introspection cache: one JSON file per provider or package, keyed on what could change it."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinxext_etl.model import Component, ImportFailure, Provider
from sphinxext_etl.model.json import SCHEMA_VERSION, from_json, to_json


@dataclass(frozen=True)
class OwnerRecord:
    """Everything introspection learnt about one owner, problems included, so that a warm
    build repeats the same warnings as the cold one."""

    provider: Provider
    components: tuple[Component, ...]
    failures: tuple[ImportFailure, ...] = ()
    #: ``(message, location, subtype)``
    problems: tuple[tuple[str, str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = to_json(self)
        return data


class IntrospectionCache:
    """Reads and writes :class:`OwnerRecord` files under ``folder``."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        #: Everything besides the owner's own fingerprint that changes what introspection sees.
        self.salt = f"{SCHEMA_VERSION}|{salt}|{platform.python_version()}"

    def _file(self, owner_name: str) -> Path:
        return self.folder / f"{owner_name.replace('/', '_')}.json"

    def load(self, owner_name: str, fingerprint: str) -> OwnerRecord | None:
        try:
            data = json.loads(self._file(owner_name).read_text(encoding="utf-8"))
            if data.get("key") != f"{self.salt}|{fingerprint}":
                return None
            return from_json(OwnerRecord, data["record"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, owner_name: str, fingerprint: str, record: OwnerRecord) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = {"key": f"{self.salt}|{fingerprint}", "record": record.to_json()}
        target = self._file(owner_name)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
        temporary.replace(target)
