"""The etl-parameters directive beside the definition list it stands for."""

project = "Parameters test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_generate_reference = False
exclude_patterns = ["_build"]
