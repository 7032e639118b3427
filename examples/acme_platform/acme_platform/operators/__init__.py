"""Operators that archive entities, collect metrics and wait for ingestion batches."""
