"""Docstring fields on component pages: an in-house package whose docstrings document
parameters the Parameters section lists, one it does not, and other fields."""

import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "docstring fields"
extensions = ["sphinxext_etl", "sphinx.ext.napoleon"]
etl_providers = []
etl_packages = ["fields_pkg"]
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]
