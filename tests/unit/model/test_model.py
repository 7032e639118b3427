"""The model's data classes and the naming, owner and transfer rules every stage shares."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from sphinxext_etl.model import (
    Catalog,
    Component,
    Connection,
    Deprecation,
    ImportFailure,
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

HTTP = Provider(
    name="apache-airflow-providers-http",
    title="HTTP",
    version="6.3.0",
    package="airflow.providers.http",
)
ACME = Provider(name="acme_platform", version="1.2.0", in_house=True, package="acme_platform")

HTTP_HOOK = "airflow.providers.http.hooks.http.HttpHook"


def catalog() -> Catalog:
    """Two owners; ``CopyOperator`` exists in both, and two classes use the HTTP hook."""
    return Catalog(
        providers=(HTTP, ACME),
        components=(
            Component(HTTP_HOOK, Kind.HOOK, HTTP.name),
            Component(
                "airflow.providers.http.operators.http.HttpOperator",
                Kind.OPERATOR,
                HTTP.name,
                uses_hooks=(HTTP_HOOK,),
            ),
            Component(
                "airflow.providers.http.operators.copy.CopyOperator", Kind.OPERATOR, HTTP.name
            ),
            Component("acme_platform.operators.copy.CopyOperator", Kind.OPERATOR, ACME.name),
            Component(
                "acme_platform.sensors.ping.PingSensor",
                Kind.SENSOR,
                ACME.name,
                uses_hooks=(HTTP_HOOK, "acme_platform.hooks.store.StoreHook"),
            ),
        ),
    )


# --- Kind ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("operator", Kind.OPERATOR),
        ("Operators", Kind.OPERATOR),
        ("SENSOR", Kind.SENSOR),
        ("  hooks ", Kind.HOOK),
        ("Transfer", Kind.TRANSFER),
        ("triggers", Kind.TRIGGER),
        ("NOTIFIERS", Kind.NOTIFIER),
    ],
)
def test_kind_parse_accepts_singular_plural_any_case(token: str, kind: Kind) -> None:
    """Singular or plural, any case, surrounding blanks ignored."""
    assert Kind.parse(token) is kind


@pytest.mark.parametrize("token", ["", "dag", "operatorss", "op", "http", "*Operator"])
def test_kind_parse_rejects_anything_else(token: str) -> None:
    """A token that names no kind parses to None (so scopes read it as an owner or name)."""
    assert Kind.parse(token) is None


def test_kind_label_and_plural() -> None:
    """Labels are capitalised values, plurals add an ``s``."""
    assert [(k.label, k.plural) for k in Kind] == [
        ("Operator", "Operators"),
        ("Sensor", "Sensors"),
        ("Hook", "Hooks"),
        ("Transfer", "Transfers"),
        ("Trigger", "Triggers"),
        ("Notifier", "Notifiers"),
    ]


# --- owner names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Acme_Bare", "acme-bare"),
        ("acme_platform", "acme-platform"),
        ("a.b__c--d", "a-b-c-d"),
        ("  Apache_Airflow_Providers_HTTP ", "apache-airflow-providers-http"),
        ("airflow.providers.http", "airflow-providers-http"),
    ],
)
def test_canonical_name_follows_pep_503(name: str, canonical: str) -> None:
    """Runs of ``-_.`` become one ``-``, lower case, blanks stripped."""
    assert canonical_name(name) == canonical


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("apache-airflow-providers-common-sql", "common-sql"),
        ("apache_airflow_providers_http", "http"),
        ("acme_platform", "acme-platform"),
        ("apache-airflow", "apache-airflow"),
    ],
)
def test_short_name_drops_the_provider_prefix(name: str, short: str) -> None:
    """Only the provider prefix goes; other names are just made canonical."""
    assert short_name(name) == short


def test_owner_names_of_a_provider() -> None:
    """Distribution name, short name and import package, all canonical."""
    assert owner_names(HTTP.name, HTTP.package) == {
        "apache-airflow-providers-http",
        "http",
        "airflow-providers-http",
    }
    assert HTTP.names == owner_names(HTTP.name, HTTP.package)


def test_owner_names_of_an_in_house_package() -> None:
    """An import root is its own short name; no package adds nothing empty."""
    assert owner_names("acme_platform") == {"acme-platform"}
    assert ACME.names == {"acme-platform"}


@pytest.mark.parametrize(
    "token",
    [
        "http",
        "HTTP",
        "apache-airflow-providers-http",
        "apache_airflow_providers_http",
        "airflow.providers.http",
    ],
)
def test_names_owner_accepts_every_spelling_of_a_provider(token: str) -> None:
    """Short name, distribution name (any separators, any case) and import package."""
    assert names_owner(token, HTTP.names)


@pytest.mark.parametrize("token", ["Acme_Platform", "acme-platform", "ACME.PLATFORM"])
def test_names_owner_accepts_spellings_of_an_in_house_root(token: str) -> None:
    """``Acme_Platform`` names ``acme_platform``."""
    assert names_owner(token, ACME.names)


@pytest.mark.parametrize("token", ["acme", "htt", "providers-http", "airflow.providers"])
def test_names_owner_rejects_partial_names(token: str) -> None:
    """A prefix or part of a name is not a name."""
    assert not names_owner(token, HTTP.names | ACME.names)


def test_provider_slug_and_display_name() -> None:
    """Slugs are short canonical names; the title is shown where there is one."""
    assert HTTP.slug == "http"
    assert ACME.slug == "acme-platform"
    assert HTTP.display_name == "HTTP"
    assert ACME.display_name == "acme_platform"


# --- transfers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ends"),
    [
        ("SqliteToPostgresOperator", ("Sqlite", "Postgres")),
        ("S3ToRedshiftOperator", ("S3", "Redshift")),
        ("GCSToGCSOperator", ("GCS", "GCS")),
        ("ToolToTokenOperator", ("Tool", "Token")),
        # The source is the shortest that works: the rest goes to the target.
        ("AToBToCOperator", ("A", "BToC")),
        ("BashOperator", None),
        ("SqliteToPostgres", None),
        ("sqliteToPostgresOperator", None),
        ("SqliteToPostgresOperatorAsync", None),
        ("ToPostgresOperator", None),
    ],
)
def test_transfer_ends_from_the_class_name(name: str, ends: tuple[str, str] | None) -> None:
    """Only a whole ``<Source>To<Target>Operator`` name gives ends."""
    assert transfer_ends(name) == ends


def test_transfer_systems_declared_ends_win() -> None:
    """What the provider declares beats what the name says."""
    declared = ("SQLite", "PostgreSQL")
    assert transfer_systems("SqliteToPostgresOperator", declared) == declared
    assert transfer_systems("CopyOperator", declared) == declared


def test_transfer_systems_fall_back_to_the_name() -> None:
    """No declaration, or one with an empty end, leaves the name to decide."""
    assert transfer_systems("SqliteToPostgresOperator", None) == ("Sqlite", "Postgres")
    assert transfer_systems("SqliteToPostgresOperator", ("SQLite", "")) == ("Sqlite", "Postgres")
    assert transfer_systems("CopyOperator", None) == ("", "")
    assert transfer_systems("CopyOperator", ("", "PostgreSQL")) == ("", "")


@pytest.mark.parametrize(
    ("name", "module", "hint", "declared"),
    [
        ("CopyOperator", "acme.operators.copy", Kind.TRANSFER, None),
        ("CopyOperator", "acme.operators.copy", Kind.OPERATOR, ("", "")),
        ("CopyOperator", "acme.transfers.copy", None, None),
        ("CopyOperator", "acme.transfers", None, None),
        ("CopyOperator", "transfers", None, None),
        ("SqliteToPostgresOperator", "acme.operators.copy", Kind.OPERATOR, None),
    ],
)
def test_is_transfer(
    name: str, module: str, hint: Kind | None, declared: tuple[str, str] | None
) -> None:
    """A hint, a declaration (even without ends), a ``transfers`` module or the name."""
    assert is_transfer(name, module, hint, declared)


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("CopyOperator", "acme.operators.copy"),
        ("CopyOperator", "acme.transfers_old.copy"),
        ("CopyOperator", "acme.my_transfers"),
        ("SqliteToPostgres", "acme.operators.copy"),
    ],
)
def test_is_not_transfer(name: str, module: str) -> None:
    """``transfers`` must be a whole module name; a near miss of the naming rule is no transfer."""
    assert not is_transfer(name, module, Kind.OPERATOR, None)


# --- locations ----------------------------------------------------------------------------


def test_source_location_line_zero_is_line_one() -> None:
    """Line 0 (unknown) stands for the module as a whole: line 1."""
    assert source_location("acme/ops.py") == "acme/ops.py:1"
    assert source_location("acme/ops.py", 0) == "acme/ops.py:1"
    assert source_location("acme/ops.py", 12) == "acme/ops.py:12"


def test_import_failure_location_prefers_the_file() -> None:
    """The file where known, else the module name; line 1 when the line is unknown."""
    assert ImportFailure("acme.ops", "boom", "acme/ops.py", 7).location == "acme/ops.py:7"
    assert ImportFailure("acme.ops", "boom").location == "acme.ops:1"


# --- components and catalogs ----------------------------------------------------------------


def test_component_properties() -> None:
    """Name and module split the dotted path; flags follow the optional facts."""
    plain = Component("acme_platform.hooks.store.StoreHook", Kind.HOOK, "acme_platform")
    assert (plain.name, plain.module) == ("StoreHook", "acme_platform.hooks.store")
    assert not plain.deprecated and not plain.static and plain.conn_type == ""
    flagged = Component(
        "acme_platform.hooks.store.StoreHook",
        Kind.HOOK,
        "acme_platform",
        deprecation=Deprecation(),
        origin=Origin.STATIC,
        connection=Connection(conn_type="store"),
        parameters=(Parameter("store_conn_id"), Parameter("old", deprecation=Deprecation())),
    )
    assert flagged.deprecated and flagged.static and flagged.conn_type == "store"
    assert flagged.parameter("store_conn_id") == Parameter("store_conn_id")
    assert flagged.parameter("missing") is None
    old = flagged.parameter("old")
    assert old is not None and old.deprecated
    assert not Parameter("new").deprecated


def test_catalog_iterates_and_indexes_by_path() -> None:
    """Iteration is in catalog order; ``by_path`` keys every component by its path."""
    built = catalog()
    assert list(built) == list(built.components)
    assert list(built.by_path()) == [c.path for c in built.components]


def test_catalog_indexes_are_built_once_and_leave_equality_hash_and_pickle_alone() -> None:
    """``by_path``, ``owned_by`` and ``used_by`` read indexes built on first use and kept;
    a catalog with its indexes built still equals, hashes and pickles as one without."""
    built, fresh = catalog(), catalog()
    assert built.by_path() is built.by_path()
    assert built.owned_by(ACME.name) is built.owned_by(ACME.name)
    assert built.used_by(HTTP_HOOK) is built.used_by(HTTP_HOOK)
    assert built == fresh and hash(built) == hash(fresh) and repr(built) == repr(fresh)
    copy = pickle.loads(pickle.dumps(built))
    assert copy == built and "_by_path" not in vars(copy)
    assert copy.by_path() == built.by_path()


def test_catalog_used_by_lists_a_component_once_whatever_it_repeats() -> None:
    hook = "acme_platform.hooks.store.StoreHook"
    user = Component("acme_platform.operators.a.AOperator", Kind.OPERATOR, ACME.name)
    twice = Catalog(components=(dataclasses.replace(user, uses_hooks=(hook, hook)),))
    assert [c.name for c in twice.used_by(hook)] == ["AOperator"]


def test_catalog_provider_by_exact_name() -> None:
    """Providers are found by their exact name only (owner fields hold exact names)."""
    built = catalog()
    assert built.provider("apache-airflow-providers-http") is HTTP
    assert built.provider("http") is None
    assert built.provider("missing") is None


def test_catalog_owned_by() -> None:
    """Components of one owner, in catalog order."""
    assert [c.name for c in catalog().owned_by(ACME.name)] == ["CopyOperator", "PingSensor"]
    assert catalog().owned_by("nobody") == ()


def test_catalog_lookup_by_path_or_short_name() -> None:
    """A dotted path finds one class; a short name finds every owner's; kinds filter."""
    built = catalog()
    assert [c.path for c in built.lookup("acme_platform.operators.copy.CopyOperator")] == [
        "acme_platform.operators.copy.CopyOperator"
    ]
    assert [c.owner for c in built.lookup("CopyOperator")] == [HTTP.name, ACME.name]
    assert built.lookup("CopyOperator", kinds=[Kind.HOOK]) == []
    assert [c.name for c in built.lookup("HttpHook", kinds=(Kind.HOOK, Kind.SENSOR))] == [
        "HttpHook"
    ]
    assert built.lookup("copyoperator") == []
    assert built.lookup("operators.copy.CopyOperator") == []


def test_catalog_used_by_reverses_uses_hooks() -> None:
    """The components that list a hook, in catalog order; nobody uses an unknown hook."""
    built = catalog()
    assert [c.name for c in built.used_by(HTTP_HOOK)] == ["HttpOperator", "PingSensor"]
    assert built.used_by("acme_platform.hooks.store.StoreHook")[0].name == "PingSensor"
    assert built.used_by("HttpHook") == ()
