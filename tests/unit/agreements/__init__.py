"""Unit tests of the agreements stage's pure part: scopes and rules."""
