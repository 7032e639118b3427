"""Graphviz sources of the DAG pages: one DAG's steps (task groups as clusters, each step
linked to its operator's page), and the platform's data flow between DAGs.

Links are relative to the page the graph is on. ``sphinx.ext.graphviz`` keeps them so in a
PNG's image map, and rewrites them for an SVG (which lives in ``_images/``) relative to it;
``target="_top"`` makes a link in an SVG (shown in an ``<object>``) open the page itself.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sphinxext_etl.model.dags import Dag, TaskGroup
from sphinxext_etl.render.transfers import quoted

#: The style every graph shares (after its ``rankdir``).
_HEADER = (
    '   graph [fontname="sans-serif", fontsize=11, bgcolor="transparent"];',
    '   node [shape=box, style="rounded,filled", fillcolor="#eef3f8", color="#5f7d95",'
    ' fontname="sans-serif", fontsize=11, target="_top"];',
    '   edge [color="#5f7d95", fontname="sans-serif", fontsize=9];',
)


@dataclass(frozen=True)
class Node:
    """A graph node: its id, label, and where it links (``""``: nowhere) with what tooltip."""

    node_id: str
    label: str
    url: str = ""
    tooltip: str = ""
    extra: str = ""

    def dot(self) -> str:
        attributes = [
            f"label={quoted(*self.label.splitlines())}",
            f"URL={quoted(self.url)}" if self.url else "",
            f"tooltip={quoted(self.tooltip or ' '.join(self.label.split()))}",
            self.extra,
        ]
        return f"{quoted(self.node_id)} [{', '.join(filter(None, attributes))}];"


def graph_id(text: str) -> str:
    """A graph's name: also the id of a PNG's image map, so unique on a single-page build."""
    return "etl_" + re.sub(r"\W", "_", text)


def page_url(docname: str, from_docname: str) -> str:
    """``docname``'s HTML page relative to ``from_docname``'s."""
    return posixpath.relpath(docname, posixpath.dirname(from_docname) or ".") + ".html"


def _rankdir(nodes: Iterable[Node], edges: Iterable[tuple[str, str]]) -> str:
    """Left to right, or top to bottom where that makes the narrower picture: a page's column
    is narrow, and a chain of long names laid side by side would be shrunk (SVG) or scroll
    (PNG). Widths are estimated in characters: left to right, the widest name of each rank
    side by side; top to bottom, the names of the fullest rank."""
    width = {node.node_id: max(map(len, node.label.splitlines() or [""])) for node in nodes}
    rank = dict.fromkeys(width, 0)
    edges = [(up, down) for up, down in edges if up in rank and down in rank]
    for _ in range(len(rank)):  # longest path layering; a cycle stops after n rounds
        changed = False
        for up, down in edges:
            if rank[down] < rank[up] + 1:
                rank[down], changed = rank[up] + 1, True
        if not changed:
            break
    ranks: dict[int, list[int]] = {}
    for node_id, level in rank.items():
        ranks.setdefault(level, []).append(width[node_id])
    side_by_side = sum(max(found) for found in ranks.values())
    stacked = max((sum(found) + 4 * len(found) for found in ranks.values()), default=0)
    return f"   rankdir={'TB' if stacked < side_by_side else 'LR'};"


def dag_dot(
    dag: Dag, nodes: Iterable[Node], edges: Iterable[tuple[str, str]], name: str = ""
) -> str:
    """The DAG's steps left to right, in clusters by task group (nested as the groups are)."""
    by_group: dict[str, list[Node]] = {}
    group_of = {task.task_id: task.group for task in dag.tasks}
    for node in nodes:
        by_group.setdefault(group_of.get(node.node_id, ""), []).append(node)
    groups = {g.group_id: g for g in dag.groups}
    for group_id in list(by_group):
        # A group whose tasks are all in subgroups still needs its cluster.
        while group_id and group_id not in groups:
            groups[group_id] = TaskGroup(group_id, group_id.rpartition(".")[0])
            group_id = group_id.rpartition(".")[0]
    nodes = [node for found in by_group.values() for node in found]
    edges = list(edges)
    lines = [f"digraph {graph_id(name or dag.dag_id)} {{", _rankdir(nodes, edges), *_HEADER]
    lines += _cluster("", groups, by_group, "   ")
    lines += [f"   {quoted(up)} -> {quoted(down)};" for up, down in edges]
    lines.append("}")
    return "\n".join(lines)


def _cluster(
    group_id: str,
    groups: Mapping[str, TaskGroup],
    by_group: Mapping[str, list[Node]],
    indent: str,
) -> list[str]:
    """A group's nodes and its subgroups' clusters (the root's without a cluster)."""
    lines = [indent + node.dot() for node in by_group.get(group_id, [])]
    children = sorted(g for g, group in groups.items() if group.parent == group_id and g)
    for child in children:
        inner = _cluster(child, groups, by_group, indent + "   ")
        if not inner:
            continue
        tooltip = groups[child].tooltip or child
        lines += [
            f"{indent}subgraph {quoted('cluster_' + child)} {{",
            f"{indent}   label={quoted(child.rpartition('.')[2])}; tooltip={quoted(tooltip)};",
            f'{indent}   style="rounded,dashed"; color="#8aa1b4"; fontsize=10;',
            *inner,
            f"{indent}}}",
        ]
    return lines


@dataclass(frozen=True)
class Flow:
    """An edge of the platform's data flow: ``source`` feeds, triggers or waits for
    ``target`` (node ids), labelled (one line per asset), and what it says in words."""

    source: str
    target: str
    label: str
    #: ``asset``, ``triggers`` or ``waits``.
    kind: str
    words: str


_FLOW_STYLE = {
    "asset": "",
    "triggers": ', style=dashed, color="#b07a2a", fontcolor="#8a5c17"',
    "waits": ', style=dotted, color="#7a4fa0", fontcolor="#5e3a7e"',
}


def flow_dot(nodes: Iterable[Node], flows: Iterable[Flow]) -> str:
    """The platform's DAGs (and the assets no DAG here produces or consumes) and what links
    them: assets, triggers, waits."""
    nodes, flows = list(nodes), list(flows)
    edges = [(flow.source, flow.target) for flow in flows]
    lines = ["digraph etl_data_flow {", _rankdir(nodes, edges), *_HEADER]
    lines += [f"   {node.dot()}" for node in nodes]
    lines += [
        f"   {quoted(flow.source)} -> {quoted(flow.target)} "
        f"[label={quoted(*flow.label.splitlines())}{_FLOW_STYLE[flow.kind]}];"
        for flow in flows
    ]
    lines.append("}")
    return "\n".join(lines)
