"""What links the DAGs of a platform: the assets each produces, consumes and reads, the DAGs
each triggers or waits for, the catalog's components and hooks; and from that the Assets page's
entries and the platform's data flow. Pure functions of the scan and the catalog."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sphinxext_etl.model import Catalog, Component
from sphinxext_etl.model.dags import Asset, Dag, Task, component_of
from sphinxext_etl.render import dag_graphs
from sphinxext_etl.render.dag_words import (
    HooksByParameter,
    SystemUse,
    asset_label,
    dag_link,
    first_sentence,
    hooks_by_parameter,
    system_uses,
)
from sphinxext_etl.render.text import escaped, literal

#: Under the reference folder.
DAG_FOLDER = "dags"
#: The Assets page, in :data:`DAG_FOLDER`.
ASSETS_PAGE = "assets"


@dataclass
class Platform:
    """The DAGs and the catalog as the pages link them: each DAG's page, who produces,
    consumes and reads each asset, which DAGs trigger or wait for which, and the catalog's
    components and hooks."""

    #: Every DAG, by dag_id.
    dags: list[Dag]
    #: ``dag_id -> docname`` (a dag_id two files define: the first).
    docnames: dict[str, str]
    by_path: Mapping[str, Component]
    by_parameter: HooksByParameter
    #: The graphs link their nodes (HTML builders).
    linked: bool = False
    assets: dict[str, Asset] = field(default_factory=dict)
    #: ``asset key -> DAGs``.
    producers: dict[str, list[Dag]] = field(default_factory=dict)
    consumers: dict[str, list[Dag]] = field(default_factory=dict)
    readers: dict[str, list[Dag]] = field(default_factory=dict)
    #: ``dag_id -> the dag_ids of DAGs with a task that triggers (waits for) it``.
    triggered_by: dict[str, list[str]] = field(default_factory=dict)
    awaited_by: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        dags: Iterable[Dag],
        docnames: Mapping[tuple[str, str], str],
        catalog: Catalog,
        linked: bool,
    ) -> Platform:
        dags = sorted(dags, key=lambda d: (d.dag_id, d.file))
        by_path = catalog.by_path()
        found = cls(
            dags,
            {d.dag_id: docnames[d.file, d.dag_id] for d in reversed(dags)},
            by_path,
            hooks_by_parameter(by_path),
            linked,
        )
        for dag in dags:
            found._note_assets(dag)
            for task in dag.tasks:
                for target, sources in (
                    (task.triggers_dag, found.triggered_by),
                    (task.waits_for_dag, found.awaited_by),
                ):
                    if target:
                        sources.setdefault(target, []).append(dag.dag_id)
        return found

    def _note_assets(self, dag: Dag) -> None:
        inlets = [a for t in dag.tasks for a in t.inlets]
        for role, assets in (
            (self.consumers, dag.consumes),
            (self.producers, dag.produces),
            (self.readers, inlets),
        ):
            for asset in assets:
                self.assets.setdefault(asset.key, asset)
                if not any(d is dag for d in role.setdefault(asset.key, [])):
                    role[asset.key].append(dag)

    def link(self, dag_id: str) -> str:
        return dag_link(dag_id, self.docnames)

    def links(self, dag_ids: Iterable[str]) -> str:
        return ", ".join(self.link(d) for d in sorted(set(dag_ids)))

    def others(self, dag: Dag, assets: Iterable[Asset], side: dict[str, list[Dag]]) -> list[str]:
        """The DAGs besides ``dag`` on one ``side`` of ``assets`` (their producers, ...)."""
        return [d.dag_id for a in assets for d in side.get(a.key, []) if d is not dag]

    def systems(self, task: Task) -> list[SystemUse]:
        return system_uses(task, self.component(task), self.by_path, self.by_parameter)

    def component(self, task: Task) -> Component | None:
        return component_of(task, self.by_path)


def asset_entries(platform: Platform) -> list[dict[str, Any]]:
    """Each asset (by title, then key) with its label and the DAGs on either side."""
    entries = []
    for key, asset in sorted(platform.assets.items(), key=lambda kv: (kv[1].title, kv[0])):
        facts = [
            ("URI", literal(asset.uri)),
            ("Name", escaped(asset.name) if asset.name != asset.title else ""),
            # "asset" is the group Airflow gives an asset that names none.
            ("Group", escaped(asset.group) if asset.group != "asset" else ""),
            ("Kind", escaped(asset.kind) if asset.kind != "asset" else ""),
        ]
        for name, role in (
            ("Produced by", platform.producers),
            ("Consumed by", platform.consumers),
            ("Read by", platform.readers),
        ):
            facts.append((name, platform.links(d.dag_id for d in role.get(key, []))))
        entries.append(
            {
                "label": asset_label(asset),
                "title": escaped(asset.title),
                "fields": [(name, value) for name, value in facts if value],
            }
        )
    return entries


def flows(platform: Platform) -> tuple[list[dag_graphs.Node], list[dag_graphs.Flow]]:
    """The data flow's nodes (DAGs, and assets with no DAG here on one side) and edges."""
    nodes = {f"dag:{dag.dag_id}": _dag_node(dag, platform) for dag in platform.dags}
    edges: dict[tuple[str, str, str], list[str]] = {}
    for key, asset in platform.assets.items():
        producers = [f"dag:{d.dag_id}" for d in platform.producers.get(key, [])]
        consumers = [f"dag:{d.dag_id}" for d in platform.consumers.get(key, [])]
        if not producers or not consumers:
            # Made or awaited outside these DAGs: the asset is a node, its edges unlabelled.
            node_id = f"asset:{key}"
            entry = f"{ASSETS_PAGE}.html#{asset_label(asset)}" if platform.linked else ""
            nodes[node_id] = dag_graphs.Node(node_id, asset.title, entry, extra=_ASSET_NODE)
            for source, target in [(p, node_id) for p in producers] + [
                (node_id, c) for c in consumers
            ]:
                edges.setdefault((source, target, "asset"), [])
        for source in producers:
            for target in consumers:
                edges.setdefault((source, target, "asset"), []).append(asset.title)
    for dag in platform.dags:
        for task in dag.tasks:
            for other, kind in ((task.triggers_dag, "triggers"), (task.waits_for_dag, "waits")):
                if other:
                    nodes.setdefault(f"dag:{other}", dag_graphs.Node(f"dag:{other}", other))
                    edges.setdefault((f"dag:{dag.dag_id}", f"dag:{other}", kind), [])
    # A DAG that neither feeds, triggers nor waits for another has no place in the picture.
    linked = {node for source, target, _ in edges for node in (source, target)}
    nodes = {node_id: node for node_id, node in nodes.items() if node_id in linked}
    found = [
        dag_graphs.Flow(
            source,
            target,
            "\n".join(sorted(labels)) or _FLOW_WORDS[kind],
            kind,
            _flow_words(nodes[source].label, nodes[target].label, kind, sorted(labels), source),
        )
        for (source, target, kind), labels in sorted(edges.items())
    ]
    return list(nodes.values()), found


def _dag_node(dag: Dag, platform: Platform) -> dag_graphs.Node:
    page = f"{DAG_FOLDER}/{ASSETS_PAGE}"
    return dag_graphs.Node(
        f"dag:{dag.dag_id}",
        dag.dag_id,
        dag_graphs.page_url(platform.docnames[dag.dag_id], page) if platform.linked else "",
        first_sentence(dag.description or dag.doc_md) or dag.dag_id,
    )


_ASSET_NODE = 'shape=note, style="filled", fillcolor="#fdf6e3"'
_FLOW_WORDS = {"triggers": "triggers", "waits": "waits for", "asset": ""}


def _flow_words(source: str, target: str, kind: str, assets: list[str], source_id: str) -> str:
    """A flow edge as text (alt text, and the list shown without Graphviz)."""
    if kind != "asset":
        return f"{source} {_FLOW_WORDS[kind]} {target}"
    if assets:
        return f"{source} feeds {target} ({', '.join(assets)})"
    if source_id.startswith("asset:"):
        return f"{target} consumes {source}"
    return f"{source} produces {target}"
