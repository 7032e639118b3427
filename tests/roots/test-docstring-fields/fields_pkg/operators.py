"""Operators whose docstrings document their parameters in reST and Google style."""

from __future__ import annotations

from typing import Any

try:
    from airflow.sdk import BaseOperator
except ImportError:  # Airflow 2.10
    from airflow.models.baseoperator import BaseOperator  # type: ignore[no-redef]


class PublishReportOperator(BaseOperator):
    """
    Publish the weekly report.

    :param path: where the report is,
        relative to the landing folder.
    :type path: str
    :param overwrite: replace a report already published.
    :param retired_flag: a parameter this operator no longer takes.
    :returns: the URL of the published report.
    :raises FileNotFoundError: when the report is missing.

    Reports are kept for a year.
    """

    def __init__(self, *, path: str, overwrite: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path
        self.overwrite = overwrite

    def execute(self, context: Any) -> str:
        return self.path


class ArchiveReportOperator(BaseOperator):
    """
    Archive the weekly report.

    Args:
        path (str): where the report is, relative to the
            landing folder.
        bucket: the archive bucket.

    Returns:
        str: the archived report's key.
    """

    def __init__(self, *, path: str, bucket: str = "archive", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path
        self.bucket = bucket

    def execute(self, context: Any) -> str:
        return self.path
