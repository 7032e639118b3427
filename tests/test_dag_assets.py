"""The data flow between DAGs as Airflow itself sees it: on Airflow's own example DAGs (assets,
aliases, conditions), what each DAG consumes and produces, and so every asset's producers and
consumers on the Assets page, are exactly what DagBag's objects say."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.sdk import Asset, AssetAlias
from airflow.sdk.definitions.asset import AssetNameRef

from sphinxext_etl.collect import dag_import
from sphinxext_etl.config import EtlConfig
from sphinxext_etl.model import Catalog
from sphinxext_etl.model.dags import DagScan
from sphinxext_etl.render.dag_platform import Platform, asset_entries
from sphinxext_etl.render.dag_words import asset_label
from sphinxext_etl.render.dags import dag_docnames

FOLDER = Path(next(iter(importlib.import_module("airflow.example_dags").__path__)))

Roles = dict[str, dict[str, set[str]]]


def named(obj: Any) -> Iterator[Any]:
    """The assets, aliases and references an Airflow object names, itself or its parts."""
    if isinstance(obj, (Asset, AssetAlias, AssetNameRef)):
        yield obj
    for part in getattr(obj, "objects", ()):
        yield from named(part)


@pytest.fixture(scope="module")
def truth() -> Roles:
    """``{"producers"|"consumers": {asset key: {dag_id}}}`` from DagBag's own objects: an
    asset by its URI, an alias by its name, a reference by name as the asset of that name
    (as Airflow resolves it when the DAG runs)."""
    bag = DagBag(dag_folder=str(FOLDER))
    uses: dict[str, list[tuple[str, Any]]] = {"producers": [], "consumers": []}
    for dag_id, dag in bag.dags.items():
        condition = getattr(dag.timetable, "asset_condition", None)
        uses["consumers"] += [(dag_id, obj) for obj in named(condition)]
        outlets = (obj for task in dag.tasks for outlet in task.outlets for obj in named(outlet))
        uses["producers"] += [(dag_id, obj) for obj in outlets]
    uris = {
        obj.name: obj.uri for role in uses.values() for _, obj in role if isinstance(obj, Asset)
    }

    def key(obj: Any) -> str:
        if isinstance(obj, Asset):
            return str(obj.uri)
        if isinstance(obj, AssetAlias):
            return f"alias:{obj.name}"
        return uris.get(obj.name, f"ref:{obj.name}")

    return {
        role: {k: {d for d, o in found if key(o) == k} for k in {key(o) for _, o in found}}
        for role, found in uses.items()
    }


@pytest.fixture(scope="module")
def scan() -> DagScan:
    found, counts = dag_import.scan([FOLDER], EtlConfig())
    assert counts.static == 0
    return found


def test_airflows_asset_examples_hold_both_roles(truth: Roles) -> None:
    assert len(truth["producers"]) >= 5 and len(truth["consumers"]) >= 5


def test_what_each_dag_consumes_and_produces_is_what_dagbag_says(
    truth: Roles, scan: DagScan
) -> None:
    platform = Platform.of(scan.dags, dag_docnames(scan), Catalog(), linked=True)
    for role in ("producers", "consumers"):
        mine = {key: {d.dag_id for d in dags} for key, dags in getattr(platform, role).items()}
        assert mine == truth[role], role


def test_the_assets_page_lists_every_asset_with_its_dags(truth: Roles, scan: DagScan) -> None:
    platform = Platform.of(scan.dags, dag_docnames(scan), Catalog(), linked=True)
    entries = {entry["label"]: dict(entry["fields"]) for entry in asset_entries(platform)}
    for role, field in (("producers", "Produced by"), ("consumers", "Consumed by")):
        for key, dag_ids in truth[role].items():
            asset = platform.assets[key]
            shown = entries[asset_label(asset)].get(field, "")
            assert all(dag_id in shown for dag_id in dag_ids), (key, field, shown)
