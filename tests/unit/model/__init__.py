"""Unit tests of the model stage: data, shared rules and JSON."""
