"""The data model: what the extension knows about providers, packages, their components and
the DAGs that use them.

Everything here is plain, frozen data that round-trips through JSON (:mod:`.json`), so it can
be cached between builds and published as ``catalog.json``. It imports nothing from the rest
of the package, nor Sphinx or docutils. This module gathers the names the other stages use:
``from sphinxext_etl.model import Catalog, Component, loads`` (each name imported ``as``
itself, to say it is exported).
"""

from __future__ import annotations

from sphinxext_etl.model.catalog import Catalog as Catalog
from sphinxext_etl.model.core import CORE_NAME as CORE_NAME
from sphinxext_etl.model.core import PROVIDER_PREFIX as PROVIDER_PREFIX
from sphinxext_etl.model.core import TRANSFER_NAME as TRANSFER_NAME
from sphinxext_etl.model.core import Component as Component
from sphinxext_etl.model.core import Connection as Connection
from sphinxext_etl.model.core import Deprecation as Deprecation
from sphinxext_etl.model.core import ImportFailure as ImportFailure
from sphinxext_etl.model.core import Integration as Integration
from sphinxext_etl.model.core import Kind as Kind
from sphinxext_etl.model.core import Origin as Origin
from sphinxext_etl.model.core import Parameter as Parameter
from sphinxext_etl.model.core import Provider as Provider
from sphinxext_etl.model.core import canonical_name as canonical_name
from sphinxext_etl.model.core import is_transfer as is_transfer
from sphinxext_etl.model.core import names_owner as names_owner
from sphinxext_etl.model.core import owner_names as owner_names
from sphinxext_etl.model.core import short_name as short_name
from sphinxext_etl.model.core import source_location as source_location
from sphinxext_etl.model.core import transfer_ends as transfer_ends
from sphinxext_etl.model.core import transfer_systems as transfer_systems
from sphinxext_etl.model.json import SCHEMA_VERSION as SCHEMA_VERSION
from sphinxext_etl.model.json import dumps as dumps
from sphinxext_etl.model.json import loads as loads
from sphinxext_etl.model.json import to_json as to_json
