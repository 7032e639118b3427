"""Notifiers that tell the team about task and DAG outcomes."""
