"""Operator that archives a batch of ingested entities in the ACME object store."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from airflow.exceptions import AirflowException

from acme_platform._compat import BaseOperator
from acme_platform.hooks.object_store import ObjectStoreHook

if TYPE_CHECKING:
    from airflow.sdk import Context


class ArchiveIngestedEntitiesOperator(BaseOperator):
    """
    Archive every ingested entity of a batch in the ACME object store.

    Each entity is written as one JSON document at
    ``acme-archive://<domain>/<entity_type>/<yyyy>/<mm>/<dd>/<entity_id>.json`` (see
    :class:`~acme_platform.hooks.object_store.ObjectStoreHook`), dated by ``archive_date``.
    The operator returns the list of archive URLs it wrote, which lands in XCom.

    ``entities`` is a JSON array of objects, or the name of a ``.json`` template file that renders
    to one; both are rendered with Jinja first, so they can pull an upstream task's XCom.

    :param domain: business domain that owns the entities, such as ``sales``. Templated.
    :param entity_type: kind of entity in the batch, such as ``customer``. Templated.
    :param entities: the batch: a list of objects, a JSON array, or a ``.json`` template file
        name. Templated.
    :param id_field: the key of each entity that holds its identifier.
    :param archive_date: the day to archive the batch under, as an ISO date. Templated; defaults to
        the run's logical date.
    :param overwrite: replace entities already archived for the same day; if false, the task fails
        on the first entity that is already archived.
    :param object_store_conn_id: ID of the ``acme_object_store`` connection to archive through.
    """

    template_fields: Sequence[str] = ("domain", "entity_type", "entities", "archive_date")
    template_ext: Sequence[str] = (".json",)
    template_fields_renderers = {"entities": "json"}
    ui_color = "#d9ead3"

    def __init__(
        self,
        *,
        domain: str,
        entity_type: str,
        entities: str | Sequence[Mapping[str, Any]],
        id_field: str = "id",
        archive_date: str = "{{ ds }}",
        overwrite: bool = True,
        object_store_conn_id: str = ObjectStoreHook.default_conn_name,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.domain = domain
        self.entity_type = entity_type
        self.entities = entities
        self.id_field = id_field
        self.archive_date = archive_date
        self.overwrite = overwrite
        self.object_store_conn_id = object_store_conn_id

    def execute(self, context: Context) -> list[str]:
        hook = ObjectStoreHook(object_store_conn_id=self.object_store_conn_id)
        urls = []
        for position, entity in enumerate(self._load_entities()):
            if self.id_field not in entity:
                raise AirflowException(
                    f"Entity {position} of the batch has no {self.id_field!r} field."
                )
            urls.append(
                hook.archive_entity(
                    self.domain,
                    self.entity_type,
                    entity[self.id_field],
                    entity,
                    self.archive_date,
                    overwrite=self.overwrite,
                )
            )
        self.log.info(
            "Archived %d %s entities of domain %s.", len(urls), self.entity_type, self.domain
        )
        return urls

    def _load_entities(self) -> list[Mapping[str, Any]]:
        """Return the rendered batch as a list of objects, parsing it if it is JSON text."""
        entities: object = self.entities
        if isinstance(entities, str):
            try:
                entities = json.loads(entities)
            except json.JSONDecodeError as err:
                raise AirflowException(f"entities is not valid JSON: {err}") from err
        if not isinstance(entities, Sequence) or not all(isinstance(e, Mapping) for e in entities):
            raise AirflowException("entities must be a JSON array of objects.")
        return list(entities)
