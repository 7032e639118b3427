"""The etl-list-table directive beside the list-table it stands for."""

project = "List table test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_generate_reference = False
exclude_patterns = ["_build"]
