"""Accepted agreements that check every shipped rule, plus a rule registered here."""

import os

from sphinxext_etl.checks import rule
from sphinxext_etl.model import Kind

project = "Agreement checks test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = ["rules_pkg"]
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]


@rule("acme-prefix", "Operators start with Acme.")
def acme_prefix(component, catalog):
    if component.kind is Kind.OPERATOR and not component.name.startswith("Acme"):
        yield f"{component.name} does not start with Acme"
