"""Depot operations: in-house components whose source the mode tests edit."""
