"""Documentation coverage of in-house packages: what is counted, and its table."""

from __future__ import annotations

from typing import Any

from sphinxext_etl.model import Catalog, Component, Kind, Parameter, Provider
from sphinxext_etl.render.coverage import PackageCoverage, measure, percent, render

ACME = Provider(name="acme_platform", in_house=True, package="acme_platform")
EMPTY = Provider(name="acme_empty", in_house=True, package="acme_empty")
HTTP = Provider(name="apache-airflow-providers-http", package="airflow.providers.http")


def catalog() -> Catalog:
    """Two of three acme components documented; three of five named parameters described."""
    return Catalog(
        providers=(HTTP, ACME, EMPTY),
        components=(
            Component(
                "acme_platform.operators.archive.ArchiveOperator",
                Kind.OPERATOR,
                ACME.name,
                docstring="Archive a table.",
                parameters=(
                    Parameter("table", description="The table."),
                    Parameter("bucket", description="  "),
                    Parameter("kwargs", variadic=True),
                ),
            ),
            Component(
                "acme_platform.hooks.store.StoreHook",
                Kind.HOOK,
                ACME.name,
                docstring="  \n ",
                parameters=(Parameter("store_conn_id"), Parameter("timeout", description="s")),
            ),
            Component(
                "acme_platform.sensors.ping.PingSensor",
                Kind.SENSOR,
                ACME.name,
                docstring="Ping.",
                parameters=(Parameter("host", description="The host."),),
            ),
            Component("airflow.providers.http.hooks.http.HttpHook", Kind.HOOK, HTTP.name),
        ),
    )


def test_percent() -> None:
    """Nothing to document counts as fully documented."""
    assert percent(1, 4) == 25.0
    assert percent(0, 0) == 100.0


def test_measure_counts_in_house_packages_only() -> None:
    """Providers are not measured; components need a docstring, named parameters a
    description (blank text counts as none); variadics are not counted."""
    assert measure(catalog()) == [
        PackageCoverage(
            package="acme_platform",
            components=3,
            documented_components=2,
            parameters=5,
            documented_parameters=3,
            missing=("ArchiveOperator(bucket)", "StoreHook", "StoreHook(store_conn_id)"),
        ),
        PackageCoverage("acme_empty", 0, 0, 0, 0),
    ]


def test_package_percentages() -> None:
    """Percentages of components and parameters; an empty package is 100%."""
    acme, empty = measure(catalog())
    assert (round(acme.component_percent, 1), acme.parameter_percent) == (66.7, 60.0)
    assert (empty.component_percent, empty.parameter_percent) == (100.0, 100.0)


def test_render_with_missing(file_regression: Any) -> None:
    """The table, then what is missing per package (packages missing nothing are skipped)."""
    file_regression.check(render(measure(catalog()), show_missing=True), extension=".rst")


def test_render_without_missing(file_regression: Any) -> None:
    """Only the table."""
    file_regression.check(render(measure(catalog()), show_missing=False), extension=".rst")


def test_render_without_packages() -> None:
    """No in-house packages: a note pointing to ``etl_packages``."""
    assert render([], show_missing=True) == (
        "*No in-house packages are configured (see* ``etl_packages``\\ *).*\n"
    )
