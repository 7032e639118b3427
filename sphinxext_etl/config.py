"""Configuration: every ``etl_*`` value in one dataclass, registered and validated together.
Importing it does not import Sphinx, so collect can read the settings in any process."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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


@dataclass
class EtlConfig:
    """The extension's settings, as read from ``conf.py`` (each field is ``etl_<name>``)."""

    #: ``"all"`` installed providers, a list of distribution names, or ``[]`` for none.
    providers: str | list[str] = ALL
    #: Import roots of in-house packages, walked module by module.
    packages: list[str] = field(default_factory=list)
    #: Folder of the source dir that receives the generated reference pages.
    reference_dir: str = "reference"
    #: Generate reference pages at all (the catalog directive works either way).
    generate_reference: bool = True
    #: Where the introspection cache lives; empty means ``<doctreedir>/etl-cache``.
    cache_dir: str = ""
    #: Source link pattern, e.g. ``https://git.example.com/acme/blob/main/{path}#L{line}``;
    #: empty renders local, viewcode-style source pages.
    source_url: str = ""
    #: Source link pattern for provider components; the default points at the provider's
    #: release tag in Airflow's repository. Empty renders local source pages for them too.
    provider_source_url: str = PROVIDER_SOURCE_URL
    #: Modules never imported (their components are read statically), as globs.
    static_modules: list[str] = field(default_factory=list)
    #: Worker processes that import and read owners, at most this many at once (each owner
    #: in a fresh one, never in the Sphinx process); 0 means one per CPU core.
    workers: int = 0
    #: Seconds one module may take to import and be read in a worker before it counts as
    #: hung: the worker is killed and the module read statically.
    import_timeout: float = IMPORT_TIMEOUT
    #: Skip components whose class or module name starts with ``_``.
    skip_private: bool = True
    #: Report what provider docstrings get wrong (markup that does not parse, roles the site
    #: lacks, references that resolve nowhere) as warnings, like in-house ones; by default
    #: they are contained and counted in one summary line, as the team cannot fix them.
    provider_docstring_warnings: bool = False
    #: Report a provider module that needs an optional dependency which is not installed as an
    #: ``etl.import`` warning; by default such modules are counted in one summary line (their
    #: components are read statically either way).
    provider_import_warnings: bool = False
    #: HTML navigation lists component pages only up to this many components; above it they
    #: are reached from their provider's page (navigation is rendered on every page).
    navigation_limit: int = 200
    #: Version shown by the switcher and banner; empty means the Sphinx ``release``.
    version: str = ""
    #: Where the published ``versions.json`` is, relative to each version's root.
    versions_url: str = "../versions.json"

    #: Agreement and convention ids must match this regular expression (``:id:``).
    agreement_id_pattern: str = r"^[A-Z][A-Z0-9]*-\d{3,}$"
    #: Allowed ``:status:`` values of agreements and conventions; empty allows any.
    agreement_statuses: list[str] = field(
        default_factory=lambda: ["draft", "proposed", "accepted", "deprecated", "superseded"]
    )
    #: Agreements in these statuses (or with no status) have their ``:checks:`` run.
    agreement_checked_statuses: list[str] = field(default_factory=lambda: ["proposed", "accepted"])
    #: Minimum documentation coverage, in percent, of each in-house package; 0 turns it off.
    coverage_threshold: float = 0

    #: DAG files or folders (relative to ``conf.py``): one page per DAG, "used in" on
    #: component pages, ``etl.usage`` warnings for deprecations.
    dag_folders: list[str] = field(default_factory=list)
    #: How DAG files are read: ``"import"`` (as Airflow's DagBag parses them, in worker
    #: processes; a file that fails is read statically) or ``"static"`` (never imported).
    dag_parse: str = DAG_PARSE_IMPORT
    #: The previous release's ``catalog.json`` (a path relative to ``conf.py``, a build folder
    #: or an http(s) URL): the build generates a "What changed" page against it.
    compare_with: str = ""
    #: Overrides of the diff's severity table, ``{"parameter-default-changed": "breaking"}``.
    diff_severities: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_sphinx(cls, config: Config) -> EtlConfig:
        return cls(**{f.name: getattr(config, f"etl_{f.name}") for f in dataclasses.fields(cls)})

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


_TYPES: dict[str, tuple[type, ...]] = {
    "providers": (str, list, tuple),
    "packages": (list, tuple),
    "reference_dir": (str,),
    "generate_reference": (bool,),
    "cache_dir": (str,),
    "source_url": (str,),
    "provider_source_url": (str,),
    "static_modules": (list, tuple),
    "workers": (int,),
    "import_timeout": (int, float),
    "skip_private": (bool,),
    "provider_docstring_warnings": (bool,),
    "provider_import_warnings": (bool,),
    "navigation_limit": (int,),
    "version": (str,),
    "versions_url": (str,),
    "agreement_id_pattern": (str,),
    "agreement_statuses": (list, tuple),
    "agreement_checked_statuses": (list, tuple),
    "coverage_threshold": (int, float),
    "dag_folders": (list, tuple),
    "dag_parse": (str,),
    "compare_with": (str,),
    "diff_severities": (dict,),
}

#: Settings that change how the catalog is read, not what it holds: changing them re-reads
#: no page.
_HOW_NOT_WHAT = frozenset({"workers", "import_timeout"})


def setup(app: Sphinx) -> None:
    """Declare every ``etl_*`` config value with its default and accepted types."""
    for f in dataclasses.fields(EtlConfig):
        app.add_config_value(
            f"etl_{f.name}",
            _default(f),
            "" if f.name in _HOW_NOT_WHAT else "env",
            types=_TYPES[f.name],
        )
    app.connect("config-inited", validate)


def validate(app: Sphinx, config: Config) -> None:
    """``config-inited``: reject values Sphinx's type check lets through, with a clear warning."""
    # Imported here: collect reads EtlConfig and must not need Sphinx.
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    providers = config.etl_providers
    if isinstance(providers, str) and providers != ALL:
        logger.warning(
            "etl_providers must be 'all' or a list of distribution names, not %r; using 'all'",
            providers,
            type="etl",
            subtype="config",
        )
        config.etl_providers = ALL
    reference_dir = config.etl_reference_dir.strip("/")
    if not reference_dir or ".." in reference_dir.split("/"):
        logger.warning(
            "etl_reference_dir must be a folder inside the source dir, not %r; using 'reference'",
            config.etl_reference_dir,
            type="etl",
            subtype="config",
        )
        reference_dir = "reference"
    config.etl_reference_dir = reference_dir
    for package in config.etl_packages:
        if not isinstance(package, str) or not re.fullmatch(r"[A-Za-z_][\w.]*", package):
            logger.warning(
                "etl_packages entry %r is not an import path", package, type="etl", subtype="config"
            )
    config.etl_packages = [p for p in config.etl_packages if isinstance(p, str)]
    if config.etl_workers < 0:
        logger.warning(
            "etl_workers must be 0 (one per core) or more, not %r; using 0",
            config.etl_workers,
            type="etl",
            subtype="config",
        )
        config.etl_workers = 0
    if config.etl_import_timeout <= 0:
        logger.warning(
            "etl_import_timeout must be a number of seconds above 0, not %r; using %g",
            config.etl_import_timeout,
            IMPORT_TIMEOUT,
            type="etl",
            subtype="config",
        )
        config.etl_import_timeout = IMPORT_TIMEOUT
    if config.etl_dag_parse not in DAG_PARSE_MODES:
        logger.warning(
            "etl_dag_parse must be one of %s, not %r; using 'import'",
            ", ".join(map(repr, DAG_PARSE_MODES)),
            config.etl_dag_parse,
            type="etl",
            subtype="config",
        )
        config.etl_dag_parse = DAG_PARSE_IMPORT


def etl_config(app_or_config: Sphinx | Config) -> EtlConfig:
    """The one accessor for settings."""
    from sphinx.application import Sphinx

    if isinstance(app_or_config, Sphinx):
        return EtlConfig.from_sphinx(app_or_config.config)
    return EtlConfig.from_sphinx(app_or_config)
