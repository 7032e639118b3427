"""The real-world check: every installed provider and acme_platform on one site, built with -W.

``make providers`` installs Airflow 3.3.2 with 22 widely deployed providers into
``.venv-providers`` and builds this site; ``scripts/check_catalog.py`` then checks its
``catalog.json`` and warning log.
"""

from __future__ import annotations

project = "Real-world providers"
author = "sphinxext-etl developers"
copyright = "2026, sphinxext-etl developers"

extensions = ["sphinxext_etl"]

etl_providers = "all"
etl_packages = ["acme_platform"]

# Some provider modules need optional dependencies this set does not install (apache-beam
# extras, plyvel ...): their components are read statically and counted in one summary line,
# not warned about. Nothing is silenced.

html_theme = "sphinx_rtd_theme"
html_title = "Real-world providers"
exclude_patterns = ["_build"]
