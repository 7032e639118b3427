"""ACME data platform: the team's in-house Airflow hooks, operators, sensors and notifiers.

Every entity the platform ingests is archived as JSON under the predefined URL scheme
``acme-archive://<domain>/<entity_type>/<yyyy>/<mm>/<dd>/<entity_id>.json``
(see :class:`acme_platform.hooks.object_store.ObjectStoreHook`).
"""

from __future__ import annotations

__version__ = "1.4.0"
