"""Hooks to the ACME object store (the entity archive) and to the ACME metrics endpoint."""
