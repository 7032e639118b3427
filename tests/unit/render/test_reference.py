"""Reference pages: one per component, provider and source module, and the index, as a pure
function of the catalog and the settings. Every page of a small catalog is a snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sphinxext_etl.model import (
    Catalog,
    Component,
    Connection,
    Deprecation,
    Integration,
    Kind,
    Origin,
    Parameter,
    Provider,
)
from sphinxext_etl.render.connection import Fact
from sphinxext_etl.render.reference import (
    ParameterRow,
    Settings,
    badges,
    component_docnames,
    inherited,
    parameter_badges,
    parameter_note,
    parameter_rows,
    relation_facts,
    render_pages,
)
from sphinxext_etl.render.text import Inline

ARCHIVE_SOURCE = '''\
"""Archive operators."""

from __future__ import annotations

from acme_platform.operators.base import AcmeBaseOperator


def table_name(table: str) -> str:
    """Not a component."""
    return table.lower()


@keep_defaults
class ArchiveOperator(AcmeBaseOperator):
    """Archive a table to the object store."""

    template_fields = ("table",)

    def __init__(self, *, table: str, bucket: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.table = table
'''

COPY_SOURCE = '''\
"""Transfers from SQLite."""

from acme_platform.operators.base import AcmeBaseOperator


class SqliteToPostgresOperator(AcmeBaseOperator):
    """Copy rows from SQLite to Postgres."""

    def execute(self, context):
        pass
'''

ACME = Provider(
    name="acme_platform",
    version="1.2.0",
    description="Acme's data platform.\n\nOperators and hooks for the *Acme* warehouse.",
    in_house=True,
    package="acme_platform",
)
HTTP = Provider(
    name="apache-airflow-providers-http",
    title="HTTP",
    version="6.3.0",
    description="`HTTP <https://www.w3.org/Protocols/>`__ provider package.\n\nMore text.",
    package="airflow.providers.http",
    integrations=(
        Integration(
            name="Hypertext Transfer Protocol (HTTP)",
            external_doc_url="https://www.w3.org/Protocols/",
            how_to_guide=("/docs/apache-airflow-providers-http/operators.rst",),
        ),
        Integration(name="Bad *link*", external_doc_url="https://x.org/a b"),
    ),
)

ARCHIVE = "acme_platform.operators.archive.ArchiveOperator"
STORE_HOOK = "acme_platform.hooks.store.ObjectStoreHook"
COPY = "acme_platform.transfers.copy.SqliteToPostgresOperator"
HTTP_HOOK = "airflow.providers.http.hooks.http.HttpHook"
HTTP_OPERATOR = "airflow.providers.http.operators.http.HttpOperator"


def line_of(source: str, text: str) -> int:
    return source.splitlines().index(text) + 1


def catalog(folder: Path) -> Catalog:
    """An in-house package (an operator, a hook, a transfer) and a provider (hook, operator);
    the in-house operator and transfer have source files in ``folder``, the hook's is gone."""
    archive_file = folder / "archive.py"
    archive_file.write_text(ARCHIVE_SOURCE, encoding="utf-8")
    copy_file = folder / "copy.py"
    copy_file.write_text(COPY_SOURCE, encoding="utf-8")
    acme: dict[str, Any] = {"owner": ACME.name, "owner_version": ACME.version, "in_house": True}
    http: dict[str, Any] = {"owner": HTTP.name, "owner_version": HTTP.version}
    components = (
        Component(
            path=ARCHIVE,
            kind=Kind.OPERATOR,
            **acme,
            summary="Archive a table to the object store.",
            docstring="Archive a table to the object store.\n\n"
            ":param table: The table to archive, see ``TABLES``.\n"
            ":param bucket: Where to.",
            parameters=(
                Parameter(
                    name="table",
                    annotation="str",
                    required=True,
                    description="The table to archive, see ``TABLES``.",
                    defined_in=ARCHIVE,
                    templated=True,
                ),
                Parameter(
                    name="bucket",
                    annotation="str | None",
                    default="None",
                    description="Where to.",
                    defined_in=ARCHIVE,
                    deprecation=Deprecation("The bucket is set by the store.", "target"),
                ),
                Parameter(
                    name="target",
                    annotation="str",
                    default="'archive'",
                    description="- The target prefix, `see <https://x.org>`__.",
                    defined_in="acme_platform.operators.base.AcmeBaseOperator",
                ),
                Parameter(name="legacy_mode", via_kwargs=True, deprecation=Deprecation()),
                Parameter(name="kwargs", variadic=True, defined_in=ARCHIVE),
            ),
            template_fields=("table",),
            template_ext=(".sql",),
            template_fields_renderers=(("table", "sql"),),
            deferrable=True,
            uses_hooks=(STORE_HOOK,),
            bases=("acme_platform.operators.base.AcmeBaseOperator",),
            source_file=str(archive_file),
            source_line=line_of(ARCHIVE_SOURCE, "class ArchiveOperator(AcmeBaseOperator):"),
        ),
        Component(
            path=STORE_HOOK,
            kind=Kind.HOOK,
            **acme,
            summary="Talk to the object store.",
            docstring="Talk to the object store.",
            parameters=(
                Parameter(
                    name="store_conn_id",
                    annotation="str",
                    default="'objectstore_default'",
                    description="Connection to use.",
                    defined_in=STORE_HOOK,
                ),
            ),
            connection=Connection(
                conn_type="objectstore",
                hook_name="Object Store",
                conn_name_attr="store_conn_id",
                default_conn_name="objectstore_default",
                extra_fields=(("bucket", "Bucket"), ("region", "Region *name*")),
                testable=True,
            ),
            source_file=str(folder / "gone.py"),
            source_line=3,
            origin=Origin.STATIC,
        ),
        Component(
            path=COPY,
            kind=Kind.TRANSFER,
            **acme,
            summary="Copy rows from SQLite to Postgres.",
            deprecation=Deprecation(
                "Use :class:`~acme_platform.transfers.copy.CopyOperator`.", "CopyOperator"
            ),
            uses_hooks=(STORE_HOOK, HTTP_HOOK),
            source_system="SQLite",
            target_system="PostgreSQL",
            source_file=str(copy_file),
            source_line=line_of(COPY_SOURCE, "class SqliteToPostgresOperator(AcmeBaseOperator):"),
        ),
        Component(
            path=HTTP_HOOK,
            kind=Kind.HOOK,
            **http,
            summary="Interact with HTTP servers.",
            docstring="Interact with HTTP servers.\n\n:param method: The API method.",
            parameters=(
                Parameter("method", "str", "'POST'", description="The API method."),
                Parameter("http_conn_id", "str", "'http_default'", description="The connection."),
            ),
            connection=Connection(
                conn_type="http",
                hook_name="HTTP",
                conn_name_attr="http_conn_id",
                default_conn_name="http_default",
            ),
        ),
        Component(
            path=HTTP_OPERATOR,
            kind=Kind.OPERATOR,
            **http,
            summary="Call an endpoint on an HTTP system.",
            parameters=(
                Parameter("endpoint", "str | None", "None", templated=True),
                Parameter("kwargs", variadic=True),
            ),
            template_fields=("endpoint",),
            uses_hooks=(HTTP_HOOK,),
        ),
    )
    return Catalog(providers=(HTTP, ACME), components=components)


PAGES = [
    "_source/acme_platform.operators.archive.rst",
    "_source/acme_platform.transfers.copy.rst",
    "acme-platform/ArchiveOperator.rst",
    "acme-platform/ObjectStoreHook.rst",
    "acme-platform/SqliteToPostgresOperator.rst",
    "acme-platform/index.rst",
    "http/HttpHook.rst",
    "http/HttpOperator.rst",
    "http/index.rst",
    "index.rst",
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return render_pages(catalog(tmp_path_factory.mktemp("acme")), Settings())


def test_render_pages_names(pages: dict[str, str]) -> None:
    """A page per component, per owner and per readable source module, and the index;
    a component whose source file is gone gets no source page (nor a link to one)."""
    assert list(pages) == PAGES


@pytest.mark.parametrize("name", PAGES)
def test_render_pages_snapshot(pages: dict[str, str], name: str, file_regression: Any) -> None:
    """Every page of the catalog with default settings (local source pages, tables)."""
    text = pages[name]
    assert text.endswith("\n") and not text.endswith("\n\n")
    file_regression.check(
        text, basename=name.removesuffix(".rst").replace("/", "__"), extension=".rst"
    )


def test_render_pages_with_source_url(tmp_path: Path) -> None:
    """With ``etl_source_url`` in-house pages link there, and no local source pages are made."""
    settings = Settings(source_url="https://git.acme/blob/main/{path}#L{line}")
    pages = render_pages(catalog(tmp_path), settings)
    assert not [name for name in pages if name.startswith("_source/")]
    line = line_of(ARCHIVE_SOURCE, "class ArchiveOperator(AcmeBaseOperator):")
    assert (
        f"Source: `acme_platform/operators/archive.py, line {line} "
        f"<https://git.acme/blob/main/acme_platform/operators/archive.py#L{line}>`__"
    ) in pages["acme-platform/ArchiveOperator.rst"]


def test_render_pages_graphviz_map(tmp_path: Path) -> None:
    """Where ``dot`` runs, transfer maps are graphs instead of tables."""
    pages = render_pages(catalog(tmp_path), Settings(graphviz=True))
    for name in ("index.rst", "acme-platform/index.rst"):
        assert ".. graphviz::" in pages[name]
        assert '"SQLite" -> "PostgreSQL" [label="SqliteToPostgresOperator"];' in pages[name]
        assert ":alt: Transfer map: SQLite to PostgreSQL" in pages[name]
    assert "Transfer map" not in pages["http/index.rst"]


def test_render_pages_navigation_limit(tmp_path: Path) -> None:
    """Over the HTML navigation limit, an owner's component pages are orphans, out of its
    toctree; owners within the limit keep theirs."""
    settings = Settings(html_navigation=True, navigation_limit=2)
    pages = render_pages(catalog(tmp_path), settings)
    assert pages["acme-platform/ArchiveOperator.rst"].startswith(":orphan:\n\n.. etl-generated")
    assert ".. toctree::" not in pages["acme-platform/index.rst"]
    assert pages["http/HttpHook.rst"].startswith(".. etl-generated")
    assert ".. toctree::" in pages["http/index.rst"]


def test_render_pages_agreements(tmp_path: Path) -> None:
    """Where agreements exist, every component page lists those that apply to it."""
    pages = render_pages(catalog(tmp_path), Settings(agreements=True))
    assert pages["http/HttpHook.rst"].endswith(f".. applicable-agreements:: {HTTP_HOOK}\n")


# --- Settings ------------------------------------------------------------------------------


def test_source_pattern() -> None:
    """In-house: the team's URL; official providers and core: Airflow's; others: none."""
    settings = Settings(source_url="team/{path}", provider_source_url="airflow/{provider}")
    own = Component("a.B", Kind.OPERATOR, "acme_platform", in_house=True)
    official = Component("a.B", Kind.OPERATOR, "apache-airflow-providers-http")
    third_party = Component("a.B", Kind.OPERATOR, "acme-airflow-provider")
    core2 = Component("a.B", Kind.OPERATOR, "apache-airflow", owner_version="2.10.5")
    core3 = Component("a.B", Kind.OPERATOR, "apache-airflow", owner_version="3.1.0")
    core_unknown = Component("a.B", Kind.OPERATOR, "apache-airflow", owner_version="9.0")
    assert settings.source_pattern(own) == "team/{path}"
    assert settings.source_pattern(official) == "airflow/{provider}"
    assert settings.source_pattern(third_party) == ""
    assert settings.source_pattern(core2).endswith("/blob/{version}/{path}#L{line}")
    assert "/airflow-core/src/{path}" in settings.source_pattern(core3)
    assert settings.source_pattern(core_unknown) == ""
    assert Settings(source_url="team/{path}").source_pattern(official) == ""


def test_in_navigation() -> None:
    """The limit applies only to builders with HTML navigation on every page."""
    assert Settings(navigation_limit=1).in_navigation(500)
    assert Settings(html_navigation=True, navigation_limit=2).in_navigation(2)
    assert not Settings(html_navigation=True, navigation_limit=2).in_navigation(3)


# --- docnames, badges, parameter rows --------------------------------------------------------


def test_component_docnames_use_provider_slugs() -> None:
    """``<provider slug>/<ClassName>``; an owner without a provider entry is its own folder."""
    built = Catalog(
        providers=(HTTP, ACME),
        components=(
            Component(HTTP_HOOK, Kind.HOOK, HTTP.name),
            Component(ARCHIVE, Kind.OPERATOR, ACME.name),
            Component("team_x.ops.XOperator", Kind.OPERATOR, "team_x"),
        ),
    )
    assert component_docnames(built) == {
        HTTP_HOOK: "http/HttpHook",
        ARCHIVE: "acme-platform/ArchiveOperator",
        "team_x.ops.XOperator": "team_x/XOperator",
    }


def test_component_docnames_when_two_components_share_a_name() -> None:
    """A name two classes of one owner share (ignoring case) uses their dotted paths; the same
    name under different owners does not clash."""
    first = "acme_platform.operators.a.CopyOperator"
    second = "acme_platform.operators.b.Copyoperator"
    elsewhere = "airflow.providers.http.operators.copy.CopyOperator"
    built = Catalog(
        providers=(HTTP, ACME),
        components=(
            Component(first, Kind.OPERATOR, ACME.name),
            Component(second, Kind.OPERATOR, ACME.name),
            Component(elsewhere, Kind.OPERATOR, HTTP.name),
        ),
    )
    assert component_docnames(built) == {
        first: f"acme-platform/{first}",
        second: f"acme-platform/{second}",
        elsewhere: "http/CopyOperator",
    }


def test_badges_of_a_plain_provider_component() -> None:
    """Kind and owner (display name and version)."""
    hook = Component(HTTP_HOOK, Kind.HOOK, HTTP.name, owner_version="6.3.0")
    assert badges(hook, HTTP) == [("Hook", "kind-hook"), ("HTTP 6.3.0", "owner")]


def test_badges_of_everything() -> None:
    """In-house, deferrable, deprecated and static each add a badge, in that order."""
    component = Component(
        ARCHIVE,
        Kind.TRANSFER,
        "acme_platform",
        in_house=True,
        deferrable=True,
        deprecation=Deprecation(),
        origin=Origin.STATIC,
    )
    assert badges(component, None) == [
        ("Transfer", "kind-transfer"),
        ("acme_platform", "owner"),
        ("in-house", "in-house"),
        ("deferrable", "deferrable"),
        ("deprecated", "deprecated"),
        ("read statically", "static"),
    ]


def test_parameter_note() -> None:
    """A deprecation's message, its replacement unless the message names it, and
    ``**kwargs`` where the parameter is only accepted there (the badge is on the name's line)."""
    assert parameter_note(Parameter("x")) == ""
    assert parameter_note(Parameter("x", deprecation=Deprecation())) == "Deprecated."
    assert parameter_note(Parameter("x", deprecation=Deprecation("Use *y*.", "y"))) == (
        "Use \\*y\\*."
    )
    assert parameter_note(Parameter("x", deprecation=Deprecation("Going away.", "target"))) == (
        "Going away. Use ``target`` instead."
    )
    assert parameter_note(Parameter("x", via_kwargs=True)) == "Accepted through ``**kwargs``."


def test_parameter_badges_in_order() -> None:
    """Required, templated, deprecated: only those that apply."""
    assert parameter_badges(Parameter("x")) == ()
    assert parameter_badges(
        Parameter("x", required=True, templated=True, deprecation=Deprecation())
    ) == (("required", "required"), ("templated", "templated"), ("deprecated", "deprecated"))


def test_parameter_note_names_a_replacement_only_part_of_another_word() -> None:
    """``name`` is not named by a message that only mentions ``table_name``."""
    deprecation = Deprecation("`table_name` is deprecated.", replacement="name")
    assert parameter_note(Parameter("table_name", deprecation=deprecation)).endswith(
        "Use ``name`` instead."
    )


def test_parameter_rows_skip_variadics() -> None:
    """One row per named parameter, its facts as data and its description as inline reST;
    ``defined in`` only for what a base declares."""
    operator = Component(
        HTTP_OPERATOR,
        Kind.OPERATOR,
        HTTP.name,
        parameters=(
            Parameter("endpoint", "str", "None", templated=True, defined_in=HTTP_OPERATOR),
            Parameter("method", required=True, defined_in="a.Base", description="*Verb*."),
            Parameter("body", "dict[\n    str, str]", "{\n}", via_kwargs=True),
            Parameter("args", variadic=True),
            Parameter("kwargs", variadic=True),
        ),
    )
    assert parameter_rows(operator) == [
        ParameterRow(
            name="endpoint",
            annotation="str",
            default="None",
            badges=(("templated", "templated"),),
            description="*Not documented.*",
            defined_in="",
        ),
        ParameterRow(
            name="method",
            annotation="",
            default="",
            badges=(("required", "required"),),
            description="\\*Verb\\*.",
            defined_in="a.Base",
        ),
        ParameterRow(
            name="body",
            annotation="dict[ str, str]",
            default="{ }",
            badges=(),
            description="Accepted through ``**kwargs``.",
            defined_in="",
        ),
    ]


def test_parameter_rows_of_the_snapshot_catalog(tmp_path: Path) -> None:
    """What the ArchiveOperator page's ``etl-parameters`` directive shows (the snapshot holds
    only its path): badges, a deprecation's note before the docstring's text, and the base
    class that declares ``target``."""
    archive = catalog(tmp_path).by_path()[ARCHIVE]
    assert [
        (r.name, r.annotation, r.default, [v for _, v in r.badges], r.description, r.defined_in)
        for r in parameter_rows(archive)
    ] == [
        (
            "table",
            "str",
            "",
            ["required", "templated"],
            "The table to archive, see ``TABLES``.",
            "",
        ),
        (
            "bucket",
            "str | None",
            "None",
            ["deprecated"],
            "The bucket is set by the store. Use ``target`` instead. Where to.",
            "",
        ),
        (
            "target",
            "str",
            "'archive'",
            [],
            "\\- The target prefix, see.",
            "acme_platform.operators.base.AcmeBaseOperator",
        ),
        ("legacy_mode", "", "", ["deprecated"], "Deprecated. Accepted through ``**kwargs``.", ""),
    ]


def test_relation_facts_in_order() -> None:
    """Moves data (inline markup made inert, ``?`` for an unknown target), then hooks used,
    users and bases, each a list of class references; nothing for what is absent."""
    transfer = Component(
        "a.CopyOperator",
        Kind.TRANSFER,
        "a",
        source_system="SQL*ite",
        uses_hooks=(HTTP_HOOK, "a.StoreHook"),
        bases=("a.Base",),
    )
    assert relation_facts(transfer, ["a.Wrapper"]) == [
        Fact("Moves data", (Inline("prose", "SQL\\*ite → ?"),)),
        Fact(
            "Uses hooks",
            (
                Inline("etl-class", "HttpHook", HTTP_HOOK),
                ", ",
                Inline("etl-class", "StoreHook", "a.StoreHook"),
            ),
        ),
        Fact("Used by", (Inline("etl-class", "Wrapper", "a.Wrapper"),)),
        Fact("Bases", (Inline("etl-class", "Base", "a.Base"),)),
    ]
    assert relation_facts(Component("a.B", Kind.HOOK, "a"), []) == []


def test_inherited_line_per_kind() -> None:
    """Only a class with ``**kwargs`` gets the line; it names the Airflow base of its kind."""
    kwargs = (Parameter("kwargs", variadic=True),)
    assert inherited(Component("a.B", Kind.OPERATOR, "a")) is None
    operator = inherited(Component("a.B", Kind.TRANSFER, "a", parameters=kwargs))
    assert operator == {
        "name": "BaseOperator",
        "path": "airflow.sdk.BaseOperator",
        "url": "https://airflow.apache.org/docs/apache-airflow/stable/core-concepts/operators.html",
        "examples": "``task_id``, ``retries``, ``pool``",
    }
    sensor = inherited(Component("a.B", Kind.SENSOR, "a", parameters=kwargs))
    assert sensor is not None and sensor["name"] == "BaseSensorOperator"
    trigger = inherited(Component("a.B", Kind.TRIGGER, "a", parameters=kwargs))
    assert trigger is not None and trigger["examples"] == ""
