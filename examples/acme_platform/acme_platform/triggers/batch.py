"""Trigger that waits, in the triggerer, for an ingestion batch to complete."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

from acme_platform._compat import BaseTrigger, TriggerEvent


class BatchCompleteTrigger(BaseTrigger):
    """
    Wait for an ingestion batch's manifest to appear, then fire once.

    The platform's ingestion jobs write ``manifest.json`` last, so its presence means the batch is
    complete. The trigger checks for it every ``poll_interval`` seconds and fires one event: with
    ``status`` ``"success"`` when the manifest exists, or ``"timeout"`` after ``max_wait`` seconds.
    Both events carry ``batch_id`` and ``manifest_path``.

    :param batch_id: identifier of the batch, used in the event and in log lines.
    :param manifest_path: path of the batch's ``manifest.json`` on a filesystem the triggerer can
        read.
    :param poll_interval: seconds between two checks.
    :param max_wait: seconds to wait in total before firing a ``"timeout"`` event.
    """

    def __init__(
        self,
        batch_id: str,
        manifest_path: str,
        poll_interval: float = 60.0,
        max_wait: float = 6 * 60 * 60.0,
    ) -> None:
        super().__init__()
        self.batch_id = batch_id
        self.manifest_path = manifest_path
        self.poll_interval = poll_interval
        self.max_wait = max_wait

    def serialize(self) -> tuple[str, dict[str, Any]]:
        """Return the trigger's classpath and the keyword arguments that re-create it."""
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "batch_id": self.batch_id,
                "manifest_path": self.manifest_path,
                "poll_interval": self.poll_interval,
                "max_wait": self.max_wait,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        """Poll for the manifest until it exists or ``max_wait`` has passed, then fire once."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait
        event = {"batch_id": self.batch_id, "manifest_path": self.manifest_path}
        # A mounted landing area can block on stat(), so check from a worker thread.
        while not await asyncio.to_thread(os.path.exists, self.manifest_path):
            if loop.time() >= deadline:
                self.log.info("Batch %s is not complete after %ss.", self.batch_id, self.max_wait)
                yield TriggerEvent({"status": "timeout", **event})
                return
            await asyncio.sleep(self.poll_interval)
        self.log.info("Batch %s is complete: %s exists.", self.batch_id, self.manifest_path)
        yield TriggerEvent({"status": "success", **event})
