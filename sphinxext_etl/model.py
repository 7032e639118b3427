"""The data model: what the extension knows about providers, packages and their components.

Everything here is plain, frozen data that round-trips through JSON, so it can be cached
between builds and published as ``catalog.json``. This module imports nothing from the package.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Bump when the JSON shape changes; caches written with another version are ignored.
SCHEMA_VERSION = 2
#: Every provider distribution's name starts with this.
PROVIDER_PREFIX = "apache-airflow-providers-"
#: The owner name of what ``apache-airflow`` itself ships (core operators on Airflow 2).
CORE_NAME = "apache-airflow"


class Kind(str, enum.Enum):
    """What an Airflow class is for."""

    OPERATOR = "operator"
    SENSOR = "sensor"
    HOOK = "hook"
    TRANSFER = "transfer"
    TRIGGER = "trigger"
    NOTIFIER = "notifier"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def plural(self) -> str:
        return f"{self.label}s"


class Origin(str, enum.Enum):
    """Where a component's facts came from."""

    #: Imported and read from the live class.
    LIVE = "live"
    #: Its module failed to import; read from the source with :mod:`ast`.
    STATIC = "static"


@dataclass(frozen=True)
class Deprecation:
    """Why a component or parameter is deprecated, and what to use instead where it says."""

    message: str = ""
    #: What the message names instead (a parameter or class name), or ``""``.
    replacement: str = ""


@dataclass(frozen=True)
class Parameter:
    """One constructor parameter, merged over the class's MRO."""

    name: str
    annotation: str = ""
    default: str = ""
    required: bool = False
    description: str = ""
    #: Dotted path of the class whose ``__init__`` declares the parameter.
    defined_in: str = ""
    templated: bool = False
    #: ``*args``/``**kwargs``-style catch-alls are kept so checks can see them.
    variadic: bool = False
    #: Set when ``__init__`` warns about this parameter (under a condition on it); the
    #: class itself stays current.
    deprecation: Deprecation | None = None
    #: Accepted only through ``**kwargs`` (known from the deprecation check that reads it).
    via_kwargs: bool = False

    @property
    def deprecated(self) -> bool:
        return self.deprecation is not None


@dataclass(frozen=True)
class Connection:
    """Connection facts of a hook."""

    conn_type: str = ""
    hook_name: str = ""
    conn_name_attr: str = ""
    default_conn_name: str = ""
    #: Extra connection form fields, ``name -> label``, where Airflow exposes them.
    extra_fields: tuple[tuple[str, str], ...] = ()
    testable: bool = False


@dataclass(frozen=True)
class Component:
    """One public Airflow class: an operator, sensor, hook, transfer, trigger or notifier."""

    path: str
    kind: Kind
    #: Distribution name of the provider, or import root of an in-house package.
    owner: str
    owner_version: str = ""
    in_house: bool = False
    summary: str = ""
    docstring: str = ""
    parameters: tuple[Parameter, ...] = ()
    template_fields: tuple[str, ...] = ()
    template_ext: tuple[str, ...] = ()
    template_fields_renderers: tuple[tuple[str, str], ...] = ()
    ui_color: str = ""
    deferrable: bool = False
    deprecation: Deprecation | None = None
    connection: Connection | None = None
    #: Dotted paths of hooks this class instantiates or references (see ``relations``).
    uses_hooks: tuple[str, ...] = ()
    #: For transfers: the systems data moves between, e.g. ``("SQLite", "PostgreSQL")``.
    source_system: str = ""
    target_system: str = ""
    #: Dotted paths of the classes between this one and the Airflow base, nearest first.
    bases: tuple[str, ...] = ()
    source_file: str = ""
    source_line: int = 0
    #: Line of the docstring's first line in ``source_file`` (0 when unknown), so docstring
    #: problems are reported where they can be fixed.
    docstring_line: int = 0
    origin: Origin = Origin.LIVE
    #: Integration name the provider files this component under.
    integration: str = ""

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]

    @property
    def module(self) -> str:
        return self.path.rpartition(".")[0]

    @property
    def deprecated(self) -> bool:
        return self.deprecation is not None

    @property
    def static(self) -> bool:
        return self.origin is Origin.STATIC

    @property
    def conn_type(self) -> str:
        return self.connection.conn_type if self.connection else ""

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass(frozen=True)
class Integration:
    name: str
    external_doc_url: str = ""
    how_to_guide: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provider:
    """A provider distribution or an in-house package: the owner of components."""

    #: Distribution name (``apache-airflow-providers-http``) or import root (``acme_platform``).
    name: str
    title: str = ""
    version: str = ""
    description: str = ""
    in_house: bool = False
    #: Import root of the package, e.g. ``airflow.providers.http``.
    package: str = ""
    integrations: tuple[Integration, ...] = ()

    @property
    def slug(self) -> str:
        """A file-name-safe identifier, stable across versions."""
        short = self.name.removeprefix(PROVIDER_PREFIX)
        return short.replace(".", "-").replace("_", "-").lower()

    @property
    def display_name(self) -> str:
        return self.title or self.name


@dataclass(frozen=True)
class Catalog:
    """Every provider and component the build knows about."""

    providers: tuple[Provider, ...] = ()
    components: tuple[Component, ...] = ()

    def __iter__(self) -> Iterator[Component]:
        return iter(self.components)

    def __len__(self) -> int:
        return len(self.components)

    def by_path(self) -> dict[str, Component]:
        return {c.path: c for c in self.components}

    def provider(self, name: str) -> Provider | None:
        return next((p for p in self.providers if p.name == name), None)

    def owned_by(self, owner: str) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.owner == owner)

    def lookup(self, target: str, kinds: Iterable[Kind] = ()) -> list[Component]:
        """Components whose dotted path or short name is ``target``, optionally of ``kinds``."""
        wanted = set(kinds)
        return [
            c
            for c in self.components
            if (c.path == target or c.name == target) and (not wanted or c.kind in wanted)
        ]

    def used_by(self, hook_path: str) -> tuple[Component, ...]:
        """Components that use the hook at ``hook_path`` (the reverse of ``uses_hooks``)."""
        return tuple(c for c in self.components if hook_path in c.uses_hooks)


# --- JSON round trip --------------------------------------------------------------------------


def to_json(obj: Any) -> Any:
    """Turn model objects into JSON-ready values (dicts, lists, strings, numbers)."""
    if isinstance(obj, enum.Enum):
        return obj.value
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [to_json(item) for item in obj]
    return obj


def _tuples(value: Any) -> tuple[Any, ...]:
    return tuple(tuple(v) if isinstance(v, list) else v for v in value)


def _deprecation_from_json(data: Mapping[str, Any] | None) -> Deprecation | None:
    return Deprecation(**data) if data is not None else None


def parameter_from_json(data: Mapping[str, Any]) -> Parameter:
    values = dict(data)
    values["deprecation"] = _deprecation_from_json(values.get("deprecation"))
    return Parameter(**values)


def component_from_json(data: Mapping[str, Any]) -> Component:
    values = dict(data)
    values["kind"] = Kind(values["kind"])
    values["origin"] = Origin(values.get("origin", Origin.LIVE.value))
    values["parameters"] = tuple(parameter_from_json(p) for p in values.get("parameters", ()))
    values["deprecation"] = _deprecation_from_json(values.get("deprecation"))
    connection = values.get("connection")
    if connection is not None:
        connection = dict(connection)
        connection["extra_fields"] = _tuples(connection.get("extra_fields", ()))
        values["connection"] = Connection(**connection)
    values["template_fields_renderers"] = _tuples(values.get("template_fields_renderers", ()))
    for name in ("template_fields", "template_ext", "uses_hooks", "bases"):
        values[name] = tuple(values.get(name, ()))
    return Component(**values)


def provider_from_json(data: Mapping[str, Any]) -> Provider:
    values = dict(data)
    values["integrations"] = tuple(
        Integration(
            name=i["name"],
            external_doc_url=i.get("external_doc_url", ""),
            how_to_guide=tuple(i.get("how_to_guide", ())),
            tags=tuple(i.get("tags", ())),
        )
        for i in values.get("integrations", ())
    )
    return Provider(**values)


def catalog_from_json(data: Mapping[str, Any]) -> Catalog:
    return Catalog(
        providers=tuple(provider_from_json(p) for p in data.get("providers", ())),
        components=tuple(component_from_json(c) for c in data.get("components", ())),
    )


def dumps(catalog: Catalog, *, indent: int | None = 2) -> str:
    """Serialise a catalog, with the schema version, as published in ``catalog.json``."""
    payload = {"schema": SCHEMA_VERSION, **to_json(catalog)}
    return json.dumps(payload, indent=indent, sort_keys=True)


def loads(text: str) -> Catalog:
    data = json.loads(text)
    if data.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"catalog schema {data.get('schema')!r} is not {SCHEMA_VERSION}")
    return catalog_from_json(data)


@dataclass(frozen=True)
class ImportFailure:
    """A module that could not be imported; reported as an ``etl.import`` warning."""

    module: str
    error: str
    source_file: str = ""
    #: Line of the statement that raised, in the module's own file (0 when unknown).
    line: int = 0
    #: It failed for want of an optional dependency (a package or provider that is not
    #: installed): for a provider's module, the team's choice rather than a fault.
    optional: bool = False

    @property
    def location(self) -> str:
        """``file:line`` for Sphinx's logger (a bare string would be taken for a docname)."""
        return source_location(self.source_file or self.module, self.line)


def source_location(path: str, line: int = 0) -> str:
    """A warning location in a source file; line 1 stands for "the module as a whole"."""
    return f"{path}:{line or 1}"


@dataclass
class Discovery:
    """What discovery hands to introspection: owners and the modules/classes to read."""

    providers: list[Provider] = field(default_factory=list)
    #: ``(owner name, module, kind hint or None, integration name)``
    modules: list[tuple[str, str, Kind | None, str]] = field(default_factory=list)
    #: ``(owner name, class path, kind)`` for entries listed by class (notifications).
    classes: list[tuple[str, str, Kind]] = field(default_factory=list)
    #: ``(owner, module, source integration, target integration)`` for declared transfers.
    transfers: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: ``hook class path -> Connection`` as the provider info's ``connection-types`` declare
    #: them (type, hook name, declarative ``conn-fields``), for hooks that leave them out.
    connections: dict[str, Connection] = field(default_factory=dict)
