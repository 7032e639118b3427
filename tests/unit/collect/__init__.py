"""Unit tests of the collect stage: the static scan of DAG files, hooks' connection forms."""
