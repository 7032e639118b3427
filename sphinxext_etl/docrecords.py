"""Per-document records in the build environment: what a page rendered from the catalog, so
that the page is re-read exactly when that would now come out differently."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

Record = TypeVar("Record")


def digest(text: str) -> str:
    """A fingerprint of rendered text, to compare what a page showed with what it would show."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


class DocRecords(Generic[Record]):
    """``docname -> record`` stored on the env under ``attribute``, purged and merged for
    parallel builds the way ``sphinx.ext.todo`` keeps its state. ``stale(env, record)`` says
    whether the page that left ``record`` must be re-read."""

    def __init__(self, attribute: str, stale: Callable[[BuildEnvironment, Record], bool]) -> None:
        self.attribute = attribute
        self.stale = stale

    def of(self, env: BuildEnvironment) -> dict[str, Record]:
        if not hasattr(env, self.attribute):
            setattr(env, self.attribute, {})
        records: dict[str, Record] = getattr(env, self.attribute)
        return records

    def outdated_docs(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        added: set[str],
        changed: set[str],
        removed: set[str],
    ) -> list[str]:
        """``env-get-outdated`` handler."""
        stale = {docname for docname, record in self.of(env).items() if self.stale(env, record)}
        return sorted(stale - added - changed - removed)

    def purge_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        """``env-purge-doc`` handler."""
        self.of(env).pop(docname, None)

    def merge_info(
        self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
    ) -> None:
        """``env-merge-info`` handler."""
        mine = self.of(env)
        mine.update((d, r) for d, r in self.of(other).items() if d in docnames)
