"""Unit tests of the collect stage that need no Airflow: the static scan of DAG files."""
