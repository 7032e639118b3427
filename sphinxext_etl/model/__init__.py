"""The data model: what the extension knows about providers, packages and their components.

Everything here is plain, frozen data that round-trips through JSON (:mod:`.json`), so it can
be cached between builds and published as ``catalog.json``, and the one definition of the rules
every stage shares: kinds, owner names, transfer names, locations. It imports nothing from the
package, nor Sphinx or docutils.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from functools import cached_property

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

    @classmethod
    def parse(cls, token: str) -> Kind | None:
        """``operator``, ``Operators`` or ``SENSOR`` -> the kind; None for anything else."""
        value = token.strip().lower()
        return next((k for k in cls if value in (k.value, k.plural.lower())), None)


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
    # The connection form as Airflow's UI shows it (``get_ui_field_behaviour``, the provider
    # info's ``ui-field-behaviour`` and ``conn-fields``); empty where the hook was read from
    # source. Added without a schema bump: catalogs written before load with these defaults.
    #: Standard fields (``host``, ``schema``, ``login``, ``password``, ``port``, ``extra``)
    #: the form hides.
    hidden_fields: tuple[str, ...] = ()
    #: Standard fields the form labels otherwise, ``field -> label``.
    relabeling: tuple[tuple[str, str], ...] = ()
    #: Placeholder texts, ``field -> text``, of standard and extra fields.
    placeholders: tuple[tuple[str, str], ...] = ()
    #: Help texts of extra fields, ``name -> text``.
    extra_field_descriptions: tuple[tuple[str, str], ...] = ()
    #: What extra fields hold, ``name -> type``, where not a plain string: ``password`` (a
    #: secret string), ``integer``, ``number``, ``boolean`` or ``json`` (an object or array).
    extra_field_types: tuple[tuple[str, str], ...] = ()


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
        """A file-name-safe identifier, stable across versions: the short, canonical name."""
        return short_name(self.name)

    @cached_property
    def names(self) -> frozenset[str]:
        """Every spelling that names this owner (see :func:`owner_names`)."""
        return owner_names(self.name, self.package)

    @property
    def display_name(self) -> str:
        return self.title or self.name


@dataclass(frozen=True, repr=False)
class Catalog:
    """Every provider and component the build knows about, and (as published) the DAGs that
    use them."""

    providers: tuple[Provider, ...] = ()
    components: tuple[Component, ...] = ()
    dags: tuple[Dag, ...] = ()

    def __repr__(self) -> str:
        # Sphinx logs the repr of every event's arguments, this one's included: the whole
        # model spelt out took 0.1 s of a 6-provider no-op rebuild.
        return (
            f"Catalog({len(self.providers)} providers, {len(self.components)} components, "
            f"{len(self.dags)} DAGs)"
        )

    def __iter__(self) -> Iterator[Component]:
        return iter(self.components)

    def __getstate__(self) -> dict[str, object]:
        # A pickled catalog carries its fields, not the indexes below: they are rebuilt on use.
        return {f.name: getattr(self, f.name) for f in fields(self)}

    # The indexes below are built on first use and kept on the instance (``cached_property``
    # writes to ``__dict__``, past the frozen ``__setattr__``); equality, hash and repr see the
    # fields only.

    @cached_property
    def _by_path(self) -> dict[str, Component]:
        return {c.path: c for c in self.components}

    def by_path(self) -> dict[str, Component]:
        """Every component by its dotted path: one dict per catalog, shared, not to be changed."""
        return self._by_path

    @cached_property
    def _providers_by_name(self) -> dict[str, Provider]:
        # The first of a name wins, as a linear search would find it.
        return {p.name: p for p in reversed(self.providers)}

    def provider(self, name: str) -> Provider | None:
        return self._providers_by_name.get(name)

    @cached_property
    def _by_owner(self) -> dict[str, tuple[Component, ...]]:
        return _grouped((c.owner, c) for c in self.components)

    def owned_by(self, owner: str) -> tuple[Component, ...]:
        """The owner's components, in catalog order."""
        return self._by_owner.get(owner, ())

    @cached_property
    def _by_path_or_name(self) -> dict[str, tuple[Component, ...]]:
        # Every component page's agreements listing and every role look a name up.
        return _grouped(
            (key, c) for c in self.components for key in dict.fromkeys((c.path, c.name))
        )

    def lookup(self, target: str, kinds: Iterable[Kind] = ()) -> list[Component]:
        """Components whose dotted path or short name is ``target``, optionally of ``kinds``,
        in catalog order."""
        wanted = set(kinds)
        found = self._by_path_or_name.get(target, ())
        return [c for c in found if not wanted or c.kind in wanted]

    @cached_property
    def _users(self) -> dict[str, tuple[Component, ...]]:
        # Every hook's reference page lists its users: one pass, not one scan per hook.
        return _grouped((hook, c) for c in self.components for hook in dict.fromkeys(c.uses_hooks))

    def used_by(self, hook_path: str) -> tuple[Component, ...]:
        """Components that use the hook at ``hook_path`` (the reverse of ``uses_hooks``), in
        catalog order."""
        return self._users.get(hook_path, ())


def _grouped(pairs: Iterable[tuple[str, Component]]) -> dict[str, tuple[Component, ...]]:
    """``key -> components`` from ``(key, component)`` pairs, each key's in the pairs' order."""
    found: dict[str, list[Component]] = {}
    for key, component in pairs:
        found.setdefault(key, []).append(component)
    return {key: tuple(components) for key, components in found.items()}


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


# --- rules every stage shares ------------------------------------------------------------------


def canonical_name(name: str) -> str:
    """A distribution name as packaging compares them (PEP 503): ``Acme_Bare`` -> ``acme-bare``."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def short_name(name: str) -> str:
    """``apache-airflow-providers-common-sql`` -> ``common-sql``; other names canonical."""
    return canonical_name(name).removeprefix(PROVIDER_PREFIX)


def owner_names(name: str, package: str = "") -> frozenset[str]:
    """The canonical spellings that name an owner: its distribution name or import root, its
    short provider name, and its import package (``airflow.providers.http``)."""
    return frozenset(
        filter(None, (canonical_name(name), short_name(name), canonical_name(package)))
    )


def names_owner(token: str, names: frozenset[str]) -> bool:
    """Whether a user's ``token`` (``http``, ``Acme_Platform``) is one of an owner's ``names``."""
    return canonical_name(token) in names


#: ``SqliteToPostgresOperator`` -> ("Sqlite", "Postgres"): the one naming rule for transfers.
TRANSFER_NAME = re.compile(
    r"(?P<source>[A-Z][A-Za-z0-9]*?)To(?P<target>[A-Z][A-Za-z0-9]*?)Operator"
)


def transfer_ends(class_name: str) -> tuple[str, str] | None:
    """The source and target a transfer's class name gives, or None if it is not so named."""
    match = TRANSFER_NAME.fullmatch(class_name)
    return (match["source"], match["target"]) if match else None


def transfer_systems(class_name: str, declared: tuple[str, str] | None) -> tuple[str, str]:
    """The systems a transfer connects: as its provider declares them, else as it is named."""
    if declared and all(declared):
        return declared
    return transfer_ends(class_name) or ("", "")


def is_transfer(
    class_name: str, module: str, hint: Kind | None, declared: tuple[str, str] | None
) -> bool:
    """Whether an operator is a transfer: its provider lists it (or its module) as one, it
    lives in a ``transfers`` module, or it is named ``<Source>To<Target>Operator``."""
    return (
        hint is Kind.TRANSFER
        or declared is not None
        or ".transfers." in f".{module}."
        or transfer_ends(class_name) is not None
    )


def source_location(path: str, line: int = 0) -> str:
    """A warning location in a source file; line 1 stands for "the module as a whole"."""
    return f"{path}:{line or 1}"


# The DAG model builds on the above; the catalog's field types name it.
from sphinxext_etl.model.dags import Dag  # noqa: E402

# The JSON round trip, re-exported: ``from sphinxext_etl.model import loads``.
from sphinxext_etl.model.json import SCHEMA_VERSION as SCHEMA_VERSION  # noqa: E402
from sphinxext_etl.model.json import dumps as dumps  # noqa: E402
from sphinxext_etl.model.json import loads as loads  # noqa: E402
from sphinxext_etl.model.json import to_json as to_json  # noqa: E402
