"""Providers, packages and their components, and the one definition of the rules every stage
shares: kinds, owner names, transfer names, locations. Imports nothing from the package."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePath

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

    @property
    def relative_path(self) -> str:
        """The source file from the import root, as the module names it
        (``acme_platform/operators/archive.py``), the same on every machine; ``""`` if unknown."""
        if not self.source_file:
            return ""
        path = PurePath(self.source_file)
        stem = self.module.replace(".", "/")
        return f"{stem}/{path.name}" if path.stem == "__init__" else f"{stem}{path.suffix}"

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
