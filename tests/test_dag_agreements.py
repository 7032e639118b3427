"""Agreements over DAGs in a whole build: located warnings citing the agreement for the DAG that
breaks the rules, none for the DAG that keeps them, scoping, and misapplied rules."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from sphinx.util.console import strip_colors

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

#: ``<file>:<line> WARNING: DAG <id> breaks agreement <ID> "<title>" (<rule>): <message>``
BROKEN = re.compile(
    r"/dags/(?P<file>\w+\.py):(?P<line>\d+): WARNING: DAG (?P<dag>\w+) breaks agreement "
    r'(?P<agreement>[A-Z]+-\d+) "[^"]+" \((?P<rule>[a-z-]+)\): (?P<message>.*) \[etl\.agreement\]'
)


def agreement_warnings(app: SphinxTestApp) -> list[str]:
    lines = strip_colors(app.warning.getvalue()).splitlines()
    return [w for w in lines if "[etl.agreement]" in w]


def broken(app: SphinxTestApp) -> list[tuple[str, str, str, str]]:
    """``(file:line, rule, agreement, message)`` of every DAG violation, in warning order."""
    found = [BROKEN.search(w) for w in agreement_warnings(app)]
    return [
        (f"{m['file']}:{m['line']}", m["rule"], m["agreement"], m["message"]) for m in found if m
    ]


@pytest.mark.sphinx("html", testroot="dag-agreements")
def test_the_non_conforming_dag_breaks_each_rule_at_its_line(app: SphinxTestApp) -> None:
    app.build()
    assert broken(app) == [
        (
            "nonconforming.py:17",
            "dag-has-doc",
            "DAG-001",
            "DAG nonconforming_export has no doc_md: say what it does for the business "
            "(doc_md=__doc__ under a module docstring, or the @dag function's docstring)",
        ),
        (
            "nonconforming.py:13",
            "dag-uses-platform-operators",
            "DAG-001",
            "task 'count_rows' opens a connection with PostgresHook in inline code; platform "
            "operators that use it: SqliteToPostgresOperator",
        ),
        (
            "nonconforming.py:14",
            "dag-uses-platform-operators",
            "DAG-001",
            "task 'count_rows' runs SQL with hook.get_first() in inline code; platform "
            "operators that run SQL: CollectMetricsOperator, SqliteToPostgresOperator",
        ),
        (
            "nonconforming.py:24",
            "dag-uses-platform-operators",
            "DAG-001",
            "task 'report' opens a connection with MetricsHook in inline code; platform "
            "operators that use it: CollectMetricsOperator",
        ),
        (
            "nonconforming.py:18",
            "no-deprecated-in-dags",
            "DAG-001",
            "task 'export_customers' uses the deprecated "
            "acme_platform.operators.legacy.LegacyExportOperator "
            "(Use ArchiveIngestedEntitiesOperator instead.)",
        ),
        (
            "nonconforming.py:17",
            "dag-owned",
            "DAG-002",
            "DAG nonconforming_export names no owner",
        ),
    ]


@pytest.mark.sphinx("html", testroot="dag-agreements")
def test_the_conforming_dag_breaks_nothing(app: SphinxTestApp) -> None:
    """It names no owner either, but DAG-002 covers only the DAGs tagged ``legacy``."""
    app.build()
    assert not any("conforming_order_archive" in w for w in agreement_warnings(app))
    assert not any("/dags/conforming.py" in w for w in agreement_warnings(app))


@pytest.mark.sphinx("html", testroot="dag-agreements")
def test_a_rule_without_anything_to_run_over_warns_at_the_directive(app: SphinxTestApp) -> None:
    app.build()
    at_directive = [w for w in agreement_warnings(app) if "index.rst:" in w.split(" WARNING")[0]]
    messages = [w.split(" WARNING: ")[1].removesuffix(" [etl.agreement]") for w in at_directive]
    assert "agreement DAG-003: rule 'dag-has-doc' checks dags, but :applies-to: names no dags" in (
        messages
    )
    assert (
        "agreement DAG-004: rule 'docstring-required' checks components, but :applies-to: "
        "names only dags"
    ) in messages
    # Unknown rules still warn, listing both kinds of rule.
    unknown = next(m for m in messages if "unknown rule 'no-such-rule'" in m)
    assert "dag-has-doc" in unknown
    assert "docstring-required" in unknown


@pytest.mark.sphinx("html", testroot="dag-agreements")
def test_draft_agreements_over_dags_are_not_enforced(app: SphinxTestApp) -> None:
    app.build()
    assert not any("DAG-005" in w for w in agreement_warnings(app))


@pytest.mark.sphinx("html", testroot="dag-agreements")
def test_listings_keep_dag_agreements_off_component_pages(app: SphinxTestApp) -> None:
    """The index lists the DAG agreements; a component's "Agreements that apply" does not."""
    app.build()
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    index = soup.select_one("table.etl-agreement-index")
    assert index is not None
    assert "DAG-001" in index.get_text()
    applicable = soup.select_one(".etl-applicable-agreements")
    assert applicable is not None
    assert "DAG-003" in applicable.get_text()  # no :applies-to: every in-house component
    assert "DAG-001" not in applicable.get_text()


@pytest.mark.sphinx("html", testroot="dag-agreements")
def test_dag_violations_warn_again_on_an_unchanged_rebuild(app: SphinxTestApp) -> None:
    app.build()
    first = broken(app)
    app.warning.truncate(0)
    app.warning.seek(0)
    app.build()
    assert broken(app) == first != []


@pytest.mark.sphinx(
    "html", testroot="dag-agreements", confoverrides={"etl_dag_folders": []}, freshenv=True
)
def test_dag_rules_without_dag_folders_warn_at_the_directive(app: SphinxTestApp) -> None:
    app.build()
    assert broken(app) == []
    unset = [w for w in agreement_warnings(app) if "etl_dag_folders is not set" in w]
    assert [w.split(" WARNING: ")[1] for w in unset] == [
        "agreement DAG-001: checks DAGs, but etl_dag_folders is not set [etl.agreement]",
        "agreement DAG-002: checks DAGs, but etl_dag_folders is not set [etl.agreement]",
    ]
