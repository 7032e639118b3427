"""The markup generated pages use for section headings and import lines, beside the Sphinx
directives (with options) that it stands for."""

project = "Page parts test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_generate_reference = False
exclude_patterns = ["_build"]
