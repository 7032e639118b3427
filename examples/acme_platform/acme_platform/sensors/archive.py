"""Sensor that waits until an entity is in the ACME archive."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from acme_platform._compat import BaseSensorOperator
from acme_platform.hooks.object_store import ObjectStoreHook

if TYPE_CHECKING:
    from airflow.sdk import Context


class EntityArchivedSensor(BaseSensorOperator):
    """
    Wait until an entity is archived in the ACME object store.

    Each poke builds the entity's URL,
    ``acme-archive://<domain>/<entity_type>/<yyyy>/<mm>/<dd>/<entity_id>.json``, and asks
    :meth:`ObjectStoreHook.exists <acme_platform.hooks.object_store.ObjectStoreHook.exists>`.
    Use it to wait for an entity that another team's DAG archives, such as a reference-data
    snapshot. Poke interval, timeout and mode are the usual sensor arguments.

    :param domain: business domain that owns the entity. Templated.
    :param entity_type: kind of entity. Templated.
    :param entity_id: the entity's identifier within its type. Templated.
    :param archive_date: the day the entity is archived under, as an ISO date. Templated;
        defaults to the run's logical date.
    :param object_store_conn_id: ID of the ``acme_object_store`` connection to look in.
    """

    template_fields: Sequence[str] = ("domain", "entity_type", "entity_id", "archive_date")
    ui_color = "#d9d2e9"

    def __init__(
        self,
        *,
        domain: str,
        entity_type: str,
        entity_id: str,
        archive_date: str = "{{ ds }}",
        object_store_conn_id: str = ObjectStoreHook.default_conn_name,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.domain = domain
        self.entity_type = entity_type
        self.entity_id = entity_id
        self.archive_date = archive_date
        self.object_store_conn_id = object_store_conn_id

    def poke(self, context: Context) -> bool:
        hook = ObjectStoreHook(object_store_conn_id=self.object_store_conn_id)
        url = hook.build_archive_url(
            self.domain, self.entity_type, self.entity_id, self.archive_date
        )
        self.log.info("Looking for %s", url)
        return hook.exists(url)
