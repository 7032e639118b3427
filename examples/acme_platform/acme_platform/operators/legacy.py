"""Deprecated export operator, kept until every DAG has moved to ArchiveIngestedEntitiesOperator."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from airflow.exceptions import AirflowProviderDeprecationWarning
from deprecated import deprecated

from acme_platform._compat import BaseOperator
from acme_platform.hooks.object_store import ObjectStoreHook

if TYPE_CHECKING:
    from airflow.sdk import Context


@deprecated(
    reason="Use ArchiveIngestedEntitiesOperator instead.",
    category=AirflowProviderDeprecationWarning,
)
class LegacyExportOperator(BaseOperator):
    """
    Export entities to the ACME object store. Deprecated.

    This was the platform's first export operator. It archives every entity under the run's
    logical date, like
    :class:`~acme_platform.operators.archive.ArchiveIngestedEntitiesOperator`, but takes the
    entities only as a Python list and cannot render a ``.json`` template. Use
    ``ArchiveIngestedEntitiesOperator`` instead.

    :param domain: business domain that owns the entities. Templated.
    :param entity_type: kind of entity in the export. Templated.
    :param entities: the entities to export; each needs an ``id`` key.
    :param object_store_conn_id: ID of the ``acme_object_store`` connection to export through.
    """

    template_fields: Sequence[str] = ("domain", "entity_type")
    ui_color = "#eeeeee"

    def __init__(
        self,
        *,
        domain: str,
        entity_type: str,
        entities: Sequence[Mapping[str, Any]],
        object_store_conn_id: str = ObjectStoreHook.default_conn_name,
        # Deliberately missing from the docstring, for the demo's agreement checks.
        overwrite: bool = True,
        **kwargs: Any,
    ) -> None:
        warnings.warn(
            "LegacyExportOperator is deprecated. Use ArchiveIngestedEntitiesOperator instead.",
            AirflowProviderDeprecationWarning,
            stacklevel=2,
        )
        super().__init__(**kwargs)
        self.domain = domain
        self.entity_type = entity_type
        self.entities = entities
        self.overwrite = overwrite
        # Deliberate anti-pattern, for the demo's agreement checks: the hook is created when the
        # DAG is parsed instead of in execute().
        self.hook = ObjectStoreHook(object_store_conn_id=object_store_conn_id)

    def execute(self, context: Context) -> list[str]:
        return [
            self.hook.archive_entity(
                self.domain,
                self.entity_type,
                entity["id"],
                entity,
                context["ds"],
                overwrite=self.overwrite,
            )
            for entity in self.entities
        ]
