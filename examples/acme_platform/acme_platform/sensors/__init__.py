"""Sensors that wait for entities to reach the ACME archive."""
