"""Triggers that deferrable ACME operators hand over to the Airflow triggerer."""
