"""Configuration: every ``etl_*`` value declared once, as a field of one dataclass whose metadata
says how Sphinx registers it and how it is checked. Importing it does not import Sphinx, so
collect can read the settings in any process."""

from __future__ import annotations

import dataclasses
import math
import operator
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from sphinxext_etl.model.severity import severity_table

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

ALL = "all"
#: ``etl_dag_parse`` values: as Airflow parses DAG files, or statically.
DAG_PARSE_IMPORT, DAG_PARSE_STATIC = "import", "static"
DAG_PARSE_MODES = (DAG_PARSE_IMPORT, DAG_PARSE_STATIC)
#: Seconds one module may take to import in a worker (``etl_import_timeout``).
IMPORT_TIMEOUT = 300.0
#: Where provider sources live upstream: ``{provider}`` is the short distribution name
#: (``common-sql``), ``{provider_path}`` its folder (``common/sql``).
PROVIDER_SOURCE_URL = (
    "https://github.com/apache/airflow/blob/providers-{provider}/{version}"
    "/providers/{provider_path}/src/{path}#L{line}"
)
#: Where Airflow's own classes live upstream, by major version: Airflow 3 keeps them under
#: ``airflow-core/src``.
CORE_SOURCE_URL = {
    "2": "https://github.com/apache/airflow/blob/{version}/{path}#L{line}",
    "3": "https://github.com/apache/airflow/blob/{version}/airflow-core/src/{path}#L{line}",
}
#: The fields a source URL pattern may use, with sample values to try it with.
_URL_FIELDS = {"path": "a/b.py", "line": 1, "version": "1.0", "provider": "a", "provider_path": "a"}


class Checked(NamedTuple):
    """What a check makes of a value: the value to use and, when that is not the value given,
    what the value must be."""

    used: Any
    #: ``"must be 0 (one per core) or more"``; empty when the value is fine.
    problem: str = ""
    #: How the warning names ``used``, when its repr says less (``"the built-in table"``).
    said: str = ""


#: A setting's check beyond its type: ``(value, default) -> Checked``.
Check = Callable[[Any, Any], Checked]


def meta(*types: type, rebuild: str = "env", check: Check | None = None) -> dict[str, Any]:
    """A setting's field metadata: the types Sphinx accepts, what changing it does (``"env"``
    re-reads every page; ``""`` changes how the catalog is read, not what it holds, and
    re-reads none), and its check beyond the type."""
    return {"types": types, "rebuild": rebuild, "check": check}


def _strings(words: str, fits: Callable[[str], bool] = bool) -> Check:
    """Lists whose entries are all strings that fit; one that is not keeps the entries that are."""

    def check(value: list[Any] | tuple[Any, ...], default: Any) -> Checked:
        kept = [entry for entry in value if isinstance(entry, str) and fits(entry)]
        if len(kept) == len(value):
            return Checked(value)
        return Checked(kept, f"must be a list of {words}")

    return check


def _number(words: str, low: float, high: float = math.inf, *, above: float = -math.inf) -> Check:
    """Numbers from ``low`` to ``high`` and greater than ``above``; another falls back to the
    default."""

    def check(value: float, default: Any) -> Checked:
        fine = low <= value <= high and value > above
        return Checked(value) if fine else Checked(default, f"must be {words}")

    return check


def _is_import(name: str) -> bool:
    return all(part.isidentifier() for part in name.split("."))


def _providers(value: str | list[Any], default: Any) -> Checked:
    if isinstance(value, str):
        words = "'all' or a list of distribution names"
        return Checked(value) if value == ALL else Checked(ALL, f"must be {words}")
    return _strings("distribution names")(value, default)


def _reference_dir(value: str, default: Any) -> Checked:
    folder = value.strip("/")
    if folder and ".." not in folder.split("/"):
        return Checked(folder)
    return Checked(default, "must be a folder inside the source dir")


def _url(value: str, default: Any) -> Checked:
    try:
        value.format(**_URL_FIELDS)
    except (KeyError, IndexError, AttributeError, TypeError, ValueError):
        fields = ", ".join(f"{{{name}}}" for name in _URL_FIELDS)
        return Checked(default, f"must be a URL pattern whose fields are among {fields}")
    return Checked(value)


def _regex(value: str, default: Any) -> Checked:
    try:
        re.compile(value)
    except re.error as error:
        return Checked(default, f"must be a regular expression ({error})")
    return Checked(value)


def _dag_parse(value: str, default: Any) -> Checked:
    if value in DAG_PARSE_MODES:
        return Checked(value)
    return Checked(default, f"must be one of {', '.join(map(repr, DAG_PARSE_MODES))}")


def _severities(value: dict[Any, Any], default: Any) -> Checked:
    try:
        severity_table(value)
    except ValueError as error:
        problem = f"must map change kinds to severities ({error})"
        return Checked(default, problem, said="the built-in table")
    return Checked(value)


_LIST = (list, tuple)
_NUMBER = (int, float)


@dataclass(frozen=True)
class EtlConfig:
    """The extension's settings, as read from ``conf.py`` (each field is ``etl_<name>``)."""

    #: ``"all"`` installed providers, a list of distribution names, or ``[]`` for none.
    providers: str | list[str] = field(default=ALL, metadata=meta(str, *_LIST, check=_providers))
    #: Import roots of in-house packages, walked module by module.
    packages: list[str] = field(
        default_factory=list, metadata=meta(*_LIST, check=_strings("import paths", _is_import))
    )
    #: Folder of the source dir that receives the generated reference pages.
    reference_dir: str = field(default="reference", metadata=meta(str, check=_reference_dir))
    #: Generate reference pages at all (the catalog directive works either way).
    generate_reference: bool = field(default=True, metadata=meta(bool))
    #: Where the introspection cache lives; empty means ``<doctreedir>/etl-cache``.
    cache_dir: str = field(default="", metadata=meta(str))
    #: Source link pattern, e.g. ``https://git.example.com/acme/blob/main/{path}#L{line}``;
    #: empty renders local, viewcode-style source pages.
    source_url: str = field(default="", metadata=meta(str, check=_url))
    #: Source link pattern for provider components; the default points at the provider's
    #: release tag in Airflow's repository. Empty renders local source pages for them too.
    provider_source_url: str = field(default=PROVIDER_SOURCE_URL, metadata=meta(str, check=_url))
    #: Modules never imported (their components are read statically), as globs.
    static_modules: list[str] = field(
        default_factory=list, metadata=meta(*_LIST, check=_strings("module globs"))
    )
    #: Worker processes that import and read owners, at most this many at once (each owner
    #: in a fresh one, never in the Sphinx process); 0 means one per CPU core.
    workers: int = field(
        default=0, metadata=meta(int, rebuild="", check=_number("0 (one per core) or more", 0))
    )
    #: Seconds one module may take to import and be read in a worker before it counts as
    #: hung: the worker is killed and the module read statically.
    import_timeout: float = field(
        default=IMPORT_TIMEOUT,
        metadata=meta(
            *_NUMBER, rebuild="", check=_number("a number of seconds above 0", 0, above=0)
        ),
    )
    #: Skip components whose class or module name starts with ``_``.
    skip_private: bool = field(default=True, metadata=meta(bool))
    #: Report what provider docstrings get wrong (markup that does not parse, roles the site
    #: lacks, references that resolve nowhere) as warnings, like in-house ones; by default
    #: they are contained and counted in one summary line, as the team cannot fix them.
    provider_docstring_warnings: bool = field(default=False, metadata=meta(bool))
    #: Report a provider module that needs an optional dependency which is not installed as an
    #: ``etl.import`` warning; by default such modules are counted in one summary line (their
    #: components are read statically either way).
    provider_import_warnings: bool = field(default=False, metadata=meta(bool))
    #: HTML navigation lists component pages only up to this many components; above it they
    #: are reached from their provider's page (navigation is rendered on every page).
    navigation_limit: int = field(default=200, metadata=meta(int, check=_number("0 or more", 0)))
    #: Version shown by the switcher and banner; empty means the Sphinx ``release``.
    version: str = field(default="", metadata=meta(str))
    #: Where the published ``versions.json`` is, relative to each version's root.
    versions_url: str = field(default="../versions.json", metadata=meta(str))

    #: Agreement and convention ids must match this regular expression (``:id:``).
    agreement_id_pattern: str = field(
        default=r"^[A-Z][A-Z0-9]*-\d{3,}$", metadata=meta(str, check=_regex)
    )
    #: Allowed ``:status:`` values of agreements and conventions; empty allows any.
    agreement_statuses: list[str] = field(
        default_factory=lambda: ["draft", "proposed", "accepted", "deprecated", "superseded"],
        metadata=meta(*_LIST, check=_strings("statuses")),
    )
    #: Agreements in these statuses (or with no status) have their ``:checks:`` run.
    agreement_checked_statuses: list[str] = field(
        default_factory=lambda: ["proposed", "accepted"],
        metadata=meta(*_LIST, check=_strings("statuses")),
    )
    #: Minimum documentation coverage, in percent, of each in-house package; 0 turns it off.
    coverage_threshold: float = field(
        default=0, metadata=meta(*_NUMBER, check=_number("a percentage from 0 to 100", 0, 100))
    )

    #: DAG files or folders (relative to ``conf.py``): one page per DAG, "used in" on
    #: component pages, ``etl.usage`` warnings for deprecations.
    dag_folders: list[str] = field(
        default_factory=list, metadata=meta(*_LIST, check=_strings("paths"))
    )
    #: How DAG files are read: ``"import"`` (as Airflow's DagBag parses them, in worker
    #: processes; a file that fails is read statically) or ``"static"`` (never imported).
    dag_parse: str = field(default=DAG_PARSE_IMPORT, metadata=meta(str, check=_dag_parse))
    #: The previous release's ``catalog.json`` (a path relative to ``conf.py``, a build folder
    #: or an http(s) URL): the build generates a "What changed" page against it.
    compare_with: str = field(default="", metadata=meta(str))
    #: Overrides of the diff's severity table, ``{"parameter-default-changed": "breaking"}``.
    diff_severities: dict[str, str] = field(
        default_factory=dict, metadata=meta(dict, check=_severities)
    )

    @property
    def all_providers(self) -> bool:
        return self.providers == ALL

    @property
    def imports_dags(self) -> bool:
        """DAG files will be imported in workers (not only read statically)."""
        return bool(self.dag_folders) and self.dag_parse == DAG_PARSE_IMPORT


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return f.default


def _is_of(value: Any, types: tuple[type, ...]) -> bool:
    # True is an int to Python but not to Sphinx's type check, nor to a reader of conf.py.
    return isinstance(value, types) and (bool in types or not isinstance(value, bool))


def _coerced(value: Any, types: tuple[type, ...]) -> Any:
    """What a value of the wrong type plainly means, or None: ``0``/``1`` for a flag, ``4.0``
    for a count, one string for a list of them."""
    if bool in types and isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if int in types and isinstance(value, float) and value.is_integer():
        return int(value)
    if list in types and isinstance(value, str):
        return [value]
    return None


def check_setting(f: dataclasses.Field[Any], value: Any) -> Checked:
    """The value to use for setting ``f``: ``value`` if it is fine, else what its metadata's
    check makes of it; for a value of the wrong type, what it plainly means, or the default."""
    types: tuple[type, ...] = f.metadata["types"]
    if _is_of(value, types):
        check: Check | None = f.metadata["check"]
        return check(value, _default(f)) if check else Checked(value)
    coerced = _coerced(value, types)
    used = _default(f) if coerced is None else check_setting(f, coerced).used
    return Checked(used, f"must be of type {' or '.join(t.__name__ for t in types)}")


def setup(app: Sphinx) -> None:
    """Declare every ``etl_*`` config value from its field: default, rebuild, accepted types."""
    for f in dataclasses.fields(EtlConfig):
        app.add_config_value(
            f"etl_{f.name}", _default(f), f.metadata["rebuild"], types=f.metadata["types"]
        )
    app.connect("config-inited", validate)


def validate(app: Sphinx, config: Config) -> None:
    """``config-inited``: check every value; a wrong one warns (``etl.config``), saying what is
    used instead, and is replaced by it. Runs before Sphinx's own type check (priority 800),
    which then finds a value of the right type: a wrong type warns once, here."""
    # Imported here: collect reads EtlConfig and must not need Sphinx.
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    for f in dataclasses.fields(EtlConfig):
        name = f"etl_{f.name}"
        value = getattr(config, name)
        checked = check_setting(f, value)
        if checked.problem:
            logger.warning(
                "%s %s, not %r; using %s",
                name,
                checked.problem,
                value,
                checked.said or repr(checked.used),
                type="etl",
                subtype="config",
            )
        if checked.used is not value:
            setattr(config, name, checked.used)
    etl_config(config)


_NAMES = tuple(f"etl_{f.name}" for f in dataclasses.fields(EtlConfig))
_values_of = operator.attrgetter(*_NAMES)
#: The settings read from each Sphinx ``Config``, with the values they were read from. Kept
#: beside the Config, not on it, so that nothing of ours is pickled with it into the env.
_READ: weakref.WeakKeyDictionary[Config, tuple[tuple[Any, ...], EtlConfig]] = (
    weakref.WeakKeyDictionary()
)


def etl_config(app_or_config: Sphinx | Config) -> EtlConfig:
    """The one accessor for settings: read once per build, when the config is validated, and
    read again only if a value was set since."""
    from sphinx.application import Sphinx

    config = app_or_config.config if isinstance(app_or_config, Sphinx) else app_or_config
    values = _values_of(config)
    read = _READ.get(config)
    if read is None or read[0] != values:
        # The values come in the fields' order.
        read = values, EtlConfig(*values)
        _READ[config] = read
    return read[1]
