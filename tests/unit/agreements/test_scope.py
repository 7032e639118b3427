"""What an agreement applies to: kinds, owners and names, sorted into groups that all must
match; an empty scope is every in-house component."""

from __future__ import annotations

import pytest

from sphinxext_etl.agreements.scope import Scope
from sphinxext_etl.model import Catalog, Component, Kind, Provider

HTTP = Provider(name="apache-airflow-providers-http", package="airflow.providers.http")
POSTGRES = Provider(name="apache-airflow-providers-postgres", package="airflow.providers.postgres")
ACME = Provider(name="acme_platform", in_house=True, package="acme_platform")
BETA = Provider(name="acme_beta", in_house=True, package="acme_beta")


def c(path: str, kind: Kind, owner: Provider) -> Component:
    return Component(path, kind, owner.name, in_house=owner.in_house)


CATALOG = Catalog(
    providers=(HTTP, POSTGRES, ACME, BETA),
    components=(
        c("airflow.providers.http.operators.http.HttpOperator", Kind.OPERATOR, HTTP),
        c("airflow.providers.http.hooks.http.HttpHook", Kind.HOOK, HTTP),
        c("airflow.providers.postgres.hooks.postgres.PostgresHook", Kind.HOOK, POSTGRES),
        c("acme_platform.operators.archive.ArchiveOperator", Kind.OPERATOR, ACME),
        c("acme_platform.hooks.store.StoreHook", Kind.HOOK, ACME),
        c("acme_platform.transfers.copy.SqliteToPostgresOperator", Kind.TRANSFER, ACME),
        c("acme_platform.sensors.ping.PingSensor", Kind.SENSOR, ACME),
        c("acme_beta.operators.trial.TrialOperator", Kind.OPERATOR, BETA),
        # Not an owner of the catalog: matched by its own names.
        Component("team_x.ops.XOperator", Kind.OPERATOR, "team_x", in_house=True),
    ),
)


def selected(*patterns: str, in_house_only: bool = False) -> list[str]:
    return [x.name for x in Scope(patterns).select(CATALOG, in_house_only=in_house_only)]


def test_empty_scope_is_every_in_house_component() -> None:
    """No patterns: in-house components only, in catalog order."""
    assert selected() == [
        "ArchiveOperator",
        "StoreHook",
        "SqliteToPostgresOperator",
        "PingSensor",
        "TrialOperator",
        "XOperator",
    ]


def test_kinds_any_spelling() -> None:
    """Kind tokens, singular or plural, any case; any listed kind matches."""
    assert selected("hooks") == ["HttpHook", "PostgresHook", "StoreHook"]
    assert selected("Sensor", "TRANSFERS") == ["SqliteToPostgresOperator", "PingSensor"]


def test_in_house_only() -> None:
    """``in_house_only`` narrows any scope to in-house components."""
    assert selected("hooks", in_house_only=True) == ["StoreHook"]


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
def test_owner_by_any_of_its_names(token: str) -> None:
    """A provider by short name, distribution name or import package."""
    assert selected(token) == ["HttpOperator", "HttpHook"]


@pytest.mark.parametrize("token", ["acme_platform", "Acme_Platform", "acme-platform"])
def test_owner_in_house_root(token: str) -> None:
    """An in-house package by its import root, any spelling."""
    assert selected(token) == [
        "ArchiveOperator",
        "StoreHook",
        "SqliteToPostgresOperator",
        "PingSensor",
    ]


def test_groups_combine_with_and_entries_with_or() -> None:
    """Every given group must match; one entry of a group is enough."""
    assert selected("hooks", "http", "postgres") == ["HttpHook", "PostgresHook"]
    assert selected("operators", "acme_platform", "acme_beta") == [
        "ArchiveOperator",
        "TrialOperator",
    ]
    assert selected("sensors", "http") == []


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*ToPostgres*", ["SqliteToPostgresOperator"]),
        ("*Hook", ["HttpHook", "PostgresHook", "StoreHook"]),
        ("airflow.providers.*.hooks.*", ["HttpHook", "PostgresHook"]),
        ("Http?perator", ["HttpOperator"]),
        ("[AP]*", ["PostgresHook", "ArchiveOperator", "PingSensor"]),
        ("http*", []),
    ],
)
def test_name_globs(pattern: str, expected: list[str]) -> None:
    """Globs match the class name or the dotted path, case-sensitively; catalog order."""
    assert selected(pattern) == expected


def test_dotted_module_prefix() -> None:
    """A dotted prefix selects what lives under it (whole module names only)."""
    assert selected("acme_platform.operators") == ["ArchiveOperator"]
    assert selected("acme_platform.hooks.store") == ["StoreHook"]
    assert selected("acme_platform.op") == []
    assert selected("acme_platform.hooks.store.StoreHook") == ["StoreHook"]


def test_glob_is_never_an_owner() -> None:
    """A token with glob characters is a name pattern even if it spells an owner."""
    assert Scope(("http*",)).groups(CATALOG) == (set(), set(), ["http*"])


def test_groups_sorting() -> None:
    """Kinds, canonical owner names and name patterns, each in its group."""
    scope = Scope(("Operators", "HTTP", "acme_platform", "*Copy*", "acme_platform.hooks"))
    assert scope.groups(CATALOG) == (
        {Kind.OPERATOR},
        {"http", "acme-platform"},
        ["*Copy*", "acme_platform.hooks"],
    )


def test_owner_outside_the_catalog_is_a_name_pattern() -> None:
    """Only the catalog's providers are owners; other tokens are read as names."""
    assert Scope(("team_x",)).groups(CATALOG) == (set(), set(), ["team_x"])
    assert selected("team_x") == ["XOperator"]


def test_matches_one_component() -> None:
    """``matches`` is the same test for a single component."""
    hook, *_ = CATALOG.lookup("HttpHook")
    assert Scope(("hooks", "http")).matches(hook, CATALOG)
    assert not Scope(("operators",)).matches(hook, CATALOG)
    assert not Scope().matches(hook, CATALOG)


def test_unknown_token_selects_nothing() -> None:
    """A token that is no kind, owner or name in the catalog matches nothing."""
    assert selected("nonexistent") == []
