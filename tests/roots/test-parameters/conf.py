"""The etl-parameters directive beside the definition list it stands for."""

import os
import sys

sys.path.insert(0, os.path.abspath("."))

project = "Parameters test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_packages = ["valve_ops"]
etl_generate_reference = False
etl_cache_dir = os.environ.get("ETL_TEST_CACHE", "")
exclude_patterns = ["_build"]
