"""The demo platform site: ACME's Airflow platform, documented with sphinxext-etl."""

from __future__ import annotations

project = "ACME data platform"
author = "ACME platform team"
copyright = "2026, ACME platform team"
release = "1.4.0"

extensions = ["sphinxext_etl"]

# The providers the demo platform runs, Airflow's own components (BashOperator and friends on
# Airflow 2, a few triggers on Airflow 3), and the team's own package.
etl_providers = [
    "apache-airflow",
    "apache-airflow-providers-standard",
    "apache-airflow-providers-sqlite",
    "apache-airflow-providers-postgres",
    "apache-airflow-providers-http",
    "apache-airflow-providers-common-sql",
]
etl_packages = ["acme_platform"]

# The platform's DAGs, read statically: a page per DAG, "used in" on component pages, and an
# etl.usage warning wherever a DAG uses something deprecated.
etl_dag_folders = ["../examples/acme_platform/dags"]
# What changed since the previous release. A real site points at the published catalog.json of
# its latest release (the docs workflow fetches it); the demo keeps a fabricated 1.3.0 one.
etl_compare_with = "previous-release/catalog.json"

html_theme = "sphinx_rtd_theme"
html_title = "ACME data platform"
exclude_patterns = ["_build"]
