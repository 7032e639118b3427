"""The data model: what the extension knows about providers, packages, their components and
the DAGs that use them.

Everything here is plain, frozen data that round-trips through JSON (:mod:`.json`), so it can
be cached between builds and published as ``catalog.json``. It imports nothing from the rest
of the package, nor Sphinx or docutils. This module gathers the names the other stages use:
``from sphinxext_etl.model import Catalog, Component, loads``.
"""

from __future__ import annotations

from sphinxext_etl.model.catalog import Catalog as Catalog
from sphinxext_etl.model.core import (
    CORE_NAME,
    PROVIDER_PREFIX,
    TRANSFER_NAME,
    Component,
    Connection,
    Deprecation,
    ImportFailure,
    Integration,
    Kind,
    Origin,
    Parameter,
    Provider,
    canonical_name,
    is_transfer,
    names_owner,
    owner_names,
    short_name,
    source_location,
    transfer_ends,
    transfer_systems,
)
from sphinxext_etl.model.json import SCHEMA_VERSION as SCHEMA_VERSION
from sphinxext_etl.model.json import dumps as dumps
from sphinxext_etl.model.json import loads as loads
from sphinxext_etl.model.json import to_json as to_json

__all__ = [
    "CORE_NAME",
    "PROVIDER_PREFIX",
    "SCHEMA_VERSION",
    "TRANSFER_NAME",
    "Catalog",
    "Component",
    "Connection",
    "Deprecation",
    "ImportFailure",
    "Integration",
    "Kind",
    "Origin",
    "Parameter",
    "Provider",
    "canonical_name",
    "dumps",
    "is_transfer",
    "loads",
    "names_owner",
    "owner_names",
    "short_name",
    "source_location",
    "to_json",
    "transfer_ends",
    "transfer_systems",
]
