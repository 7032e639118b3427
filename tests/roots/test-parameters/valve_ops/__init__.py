"""Valve operators: a component whose parameters show every part of a parameter's line."""
