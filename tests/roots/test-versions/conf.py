"""A two-page site published as several versions by the publishing and switcher tests."""

import os

project = "Versions test"
release = version = "dev"
extensions = ["sphinxext_etl"]
etl_packages = []
etl_providers = []
etl_generate_reference = False
html_theme = "sphinx_rtd_theme"
exclude_patterns = ["_build"]
# retired.rst was removed in 1.4.0, so switching from it falls back to 1.4.0's front page.
if os.environ.get("DOCS_VERSION") != "1.3.0":
    exclude_patterns.append("retired.rst")
