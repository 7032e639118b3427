"""Deferrable operator that waits for an ingestion batch and returns the entities it holds."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow.exceptions import AirflowException

from acme_platform._compat import BaseOperator
from acme_platform.triggers.batch import BatchCompleteTrigger

if TYPE_CHECKING:
    from airflow.sdk import Context

MANIFEST_NAME = "manifest.json"
"""File that an ingestion job writes last into its batch directory, listing the batch's entities."""


class WaitForBatchOperator(BaseOperator):
    """
    Wait for an ingestion batch to land, then return the entities it holds.

    Ingestion jobs land each batch in ``<landing_path>/<batch_id>/`` and write ``manifest.json``
    there last: ``{"batch_id": ..., "entities": [{...}, ...]}``. When the manifest exists the
    batch is complete, and the operator returns the manifest's ``entities`` list, which lands in
    XCom for the tasks that load and archive the batch.

    By default the operator defers to :class:`~acme_platform.triggers.batch.BatchCompleteTrigger`,
    so no worker slot is held while it waits. With ``deferrable=False`` it polls from the worker.

    :param batch_id: identifier of the batch; the name of its directory. Templated.
    :param landing_path: directory that ingestion jobs land batches in. Templated.
    :param poll_interval: seconds between two checks for the manifest.
    :param max_wait: seconds to wait for the batch before failing the task.
    :param deferrable: wait in the triggerer (true) or in the worker (false).
    """

    template_fields: Sequence[str] = ("batch_id", "landing_path")
    ui_color = "#fff2cc"

    def __init__(
        self,
        *,
        batch_id: str,
        landing_path: str,
        poll_interval: float = 60.0,
        max_wait: float = 6 * 60 * 60.0,
        deferrable: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.batch_id = batch_id
        self.landing_path = landing_path
        self.poll_interval = poll_interval
        self.max_wait = max_wait
        self.deferrable = deferrable

    @property
    def manifest_path(self) -> Path:
        """Where the batch's manifest appears once the batch is complete."""
        return Path(self.landing_path) / self.batch_id / MANIFEST_NAME

    def execute(self, context: Context) -> list[dict[str, Any]]:
        if self.manifest_path.exists():
            return self._read_entities()
        if self.deferrable:
            # defer() raises TaskDeferred; the task resumes in execute_complete.
            self.defer(
                trigger=BatchCompleteTrigger(
                    batch_id=self.batch_id,
                    manifest_path=str(self.manifest_path),
                    poll_interval=self.poll_interval,
                    max_wait=self.max_wait,
                ),
                method_name="execute_complete",
            )
        deadline = time.monotonic() + self.max_wait
        while not self.manifest_path.exists():
            if time.monotonic() >= deadline:
                raise AirflowException(self._timeout_message())
            self.log.info("Batch %s is not complete yet; checking again soon.", self.batch_id)
            time.sleep(self.poll_interval)
        return self._read_entities()

    def execute_complete(
        self, context: Context, event: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """
        Resume after the trigger fired: fail on a timeout, else return the batch's entities.

        :param context: the task's execution context.
        :param event: the payload of the trigger's event.
        """
        if not event or event.get("status") != "success":
            raise AirflowException(self._timeout_message())
        return self._read_entities()

    def _read_entities(self) -> list[dict[str, Any]]:
        """Return the ``entities`` list of the batch's manifest."""
        manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        entities = manifest.get("entities")
        if not isinstance(entities, list):
            raise AirflowException(f"{self.manifest_path} has no 'entities' list.")
        self.log.info("Batch %s is complete with %d entities.", self.batch_id, len(entities))
        return entities

    def _timeout_message(self) -> str:
        return f"Batch {self.batch_id} is not complete after {self.max_wait}s: {self.manifest_path}"
