"""Operators whose docstrings repeat their parameters.

:param path: a field in a package docstring, which has no Parameters section.
"""
