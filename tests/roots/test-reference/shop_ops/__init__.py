"""Shop operations: a small in-house package for the reference tests."""
