"""Airflow doc_md, as the etl-markdown directive renders it on a page."""

project = "Markdown test"
extensions = ["sphinxext_etl"]
etl_providers = []
etl_generate_reference = False
exclude_patterns = ["_build"]
