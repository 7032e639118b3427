"""What a build keeps on Sphinx's environment: one typed object, :class:`BuildData`, in one
attribute, with one purge and one merge (as sphinx-needs keeps ``SphinxNeedsData(env)``).

It holds two kinds of value. What the running build derived from the installed code (the
catalog, the DAG scan, the comparison, the keys of what they follow from) is set again at
every ``builder-inited`` and is never pickled: Sphinx pickles the env to send each parallel
reader's work back and to save it at the end, and a catalog of 2,000 components would ride
along each time. What pages recorded while they were read (``docname -> record``, one mapping
per kind) is kept across builds, purged with its page and merged from parallel readers; each
kind says, through :class:`DocRecords`, when a record makes its page stale."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sphinxext_etl.model import Catalog, to_json

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxext_etl.model.dags import DagScan
    from sphinxext_etl.model.diff import Comparison

#: The one attribute of the env the extension sets.
ATTRIBUTE = "etl_data"


@dataclass
class UpstreamReport:
    """What this build contained in provider docstrings instead of warning about it."""

    #: ``:role:`` or ``.. directive::`` -> uses, for names this site lacks.
    foreign_markup: dict[str, int] = field(default_factory=dict)
    #: ``(page, target)`` of references that resolved nowhere and were shown as text.
    references: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class BuildData:
    """Everything the extension keeps on the env."""

    # --- this build's, set from ``builder-inited`` on, never pickled --------------------------
    catalog: Catalog = field(default_factory=Catalog)
    #: What ``etl_dag_folders`` hold (None when no folders are configured).
    dag_scan: DagScan | None = None
    #: This release against ``etl_compare_with`` (None when it is not configured).
    comparison: Comparison | None = None
    #: The site's template folders (the env has no confdir).
    template_path: tuple[str, ...] = ()
    #: What the introspection records are: "" when one of them was not the cache's.
    records_key: str = ""
    #: What the installed code is, whether or not its records came from the cache: the key
    #: of each DAG file's cached parse.
    installed_key: str = ""
    #: What every rendered thing follows from besides its own query or page (records, DAG
    #: scan, comparison, templates, settings): "" when the records are not all the cache's.
    inputs_key: str = ""
    #: Role and directive names provider docstrings use that this site lacks.
    foreign_roles: frozenset[str] = frozenset()
    foreign_directives: frozenset[str] = frozenset()
    #: Pages whose docstrings are a provider's.
    upstream_docnames: frozenset[str] = frozenset()
    upstream_report: UpstreamReport = field(default_factory=UpstreamReport)
    #: ``docname -> asset classes`` of what pages gained while resolved (agreement listings).
    resolved_assets: dict[str, frozenset[str]] = field(default_factory=dict)

    # --- kept across builds: ``kind -> docname -> record`` ------------------------------------
    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __getstate__(self) -> dict[str, Any]:
        return {"records": self.records}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(vars(BuildData()), records=state["records"])

    def purge(self, docname: str) -> None:
        for records in self.records.values():
            records.pop(docname, None)

    def merge(self, docnames: set[str], other: BuildData) -> None:
        """Take what a parallel reader recorded for ``docnames``."""
        for kind, records in other.records.items():
            mine = self.records.setdefault(kind, {})
            mine.update((d, r) for d, r in records.items() if d in docnames)


def data_of(env: BuildEnvironment) -> BuildData:
    """The env's :class:`BuildData`, made on first use."""
    data = getattr(env, ATTRIBUTE, None)
    if not isinstance(data, BuildData):
        data = BuildData()
        setattr(env, ATTRIBUTE, data)
    return data


def digest(text: str) -> str:
    """A short fingerprint of text: what a page showed, or what something follows from."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def stable_text(value: object) -> str:
    """Data as sorted JSON: the same text for the same data, in every process and run (a
    ``repr`` need not be)."""
    return json.dumps(to_json(value), sort_keys=True, default=repr)


Record = TypeVar("Record")
#: ``kind -> stale(env, record)`` of every kind of record, for ``env-get-outdated``.
_STALE: dict[str, Callable[[BuildEnvironment, Any], bool]] = {}


class DocRecords(Generic[Record]):
    """One kind of per-page record: ``docname -> record``. ``stale(env, record)`` says
    whether the page that left ``record`` must be read again."""

    def __init__(self, kind: str, stale: Callable[[BuildEnvironment, Record], bool]) -> None:
        self.kind = kind
        _STALE[kind] = stale

    def of(self, env: BuildEnvironment) -> dict[str, Record]:
        records: dict[str, Record] = data_of(env).records.setdefault(self.kind, {})
        return records


def outdated_docs(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: pages whose records say they would now come out differently."""
    stale = {
        docname
        for kind, records in data_of(env).records.items()
        if kind in _STALE
        for docname, record in records.items()
        if _STALE[kind](env, record)
    }
    return sorted(stale - added - changed - removed)


def reaches(env: BuildEnvironment, docname: str, marked: Collection[str]) -> bool:
    """Whether ``docname``, or a page its toctree includes (at any depth), is ``marked``:
    what a page recorded at read time holds for the one document that singlehtml or LaTeX
    assemble from the pages under it, as Sphinx's math domain decides ``has_equations``."""
    seen: set[str] = set()
    todo = [docname]
    while todo:
        name = todo.pop()
        if name in marked:
            return True
        if name not in seen:
            seen.add(name)
            todo += env.toctree_includes.get(name, ())
    return False


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    data_of(env).purge(docname)


def merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    data_of(env).merge(docnames, data_of(other))


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated_docs)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
