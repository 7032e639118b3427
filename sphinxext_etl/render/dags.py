"""DAG pages: one per DAG, read like the business workflow it describes (its ``doc_md``; when
it runs; what data it consumes and produces; the systems it touches; what happens when it
fails; its steps in dependency order), the DAG index and the Assets page. Pure functions of
the scan, the catalog and the settings."""

from __future__ import annotations

import datetime
import itertools
import os
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from sphinxext_etl.model import Catalog, Component
from sphinxext_etl.model.dags import (
    Asset,
    Dag,
    DagScan,
    Parsed,
    ScheduleKind,
    Task,
    TaskStyle,
    component_of,
)
from sphinxext_etl.render import dag_graphs
from sphinxext_etl.render.dag_platform import (
    ASSETS_PAGE,
    DAG_FOLDER,
    Platform,
    asset_entries,
    flows,
)
from sphinxext_etl.render.dag_words import (
    asset_ref,
    doc_block,
    failure_fields,
    first_sentence,
    owners_text,
    systems_sentence,
    task_failure_words,
)
from sphinxext_etl.render.schedule import listing, schedule_expression, schedule_parts
from sphinxext_etl.render.text import escaped, inline, literal


def dag_docnames(scan: DagScan) -> dict[tuple[str, str], str]:
    """``(file, dag_id) -> dags/<dag_id>``; a dag_id two files define gets its file's stem."""
    taken = Counter(dag.dag_id for dag in scan.dags)
    return {
        (dag.file, dag.dag_id): f"{DAG_FOLDER}/"
        + (dag.dag_id if taken[dag.dag_id] == 1 else f"{Path(dag.file).stem}.{dag.dag_id}")
        for dag in scan.dags
    }


def task_order(dag: Dag) -> list[Task]:
    """The tasks in dependency order (upstream first); among tasks free to run, one in the
    group of the task before (so a group's steps stay together), then the one that comes
    first in the file. Tasks in a cycle keep their file order at the end."""
    position = {task.task_id: index for index, task in enumerate(dag.tasks)}
    group = {task.task_id: task.group for task in dag.tasks}
    upstream: dict[str, set[str]] = {t.task_id: set() for t in dag.tasks}
    for dependency in dag.dependencies:
        if dependency.upstream in upstream and dependency.downstream in upstream:
            upstream[dependency.downstream].add(dependency.upstream)
    ready = {t for t, ups in upstream.items() if not ups}
    ordered: list[str] = []
    while ready:
        last = group[ordered[-1]] if ordered else ""
        task_id = min(ready, key=lambda t: (-_shared_depth(group[t], last), position[t]))
        ready.discard(task_id)
        ordered.append(task_id)
        for other, ups in upstream.items():
            if task_id in ups:
                ups.discard(task_id)
                if not ups and other not in ordered:
                    ready.add(other)
    ordered += [t.task_id for t in dag.tasks if t.task_id not in ordered]
    by_id = {t.task_id: t for t in dag.tasks}
    return [by_id[t] for t in dict.fromkeys(ordered)]


def _shared_depth(group: str, other: str) -> int:
    """How many levels of task group two dotted group ids share."""
    pairs = zip(group.split("."), other.split("."), strict=False)
    return len(list(itertools.takewhile(lambda pair: pair[0] and pair[0] == pair[1], pairs)))


def schedule_text(dag: Dag, asset: Callable[[Asset], str] = asset_ref) -> str:
    """The schedule in words, assets linked, and the raw expression where it says more."""
    parts = schedule_parts(dag.schedule)
    # Escaped as one sentence (markup characters next to a link stay as they read), each
    # asset's place kept by a NUL, then filled with its link.
    text = escaped("".join(p if isinstance(p, str) else "\x00" for p in parts)).split("\x00")
    links = [asset(p) for p in parts if not isinstance(p, str)]
    words = "".join(piece + link for piece, link in zip_longest(text, links, fillvalue=""))
    raw = schedule_expression(dag.schedule)
    if dag.schedule.kind in (ScheduleKind.NONE, ScheduleKind.ASSETS):
        return words
    return words if raw in words else f"{words} — {literal(raw)}"


# --- One DAG's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One task as its DAG page lists it."""

    task_id: str
    #: The operator as a reference (or a literal, for what the catalog lacks).
    operator: str
    #: What the step does, as reST blocks: its doc or the operator's summary, and its facts.
    what: str
    mapped: bool = False


@dataclass(frozen=True)
class Section:
    """Steps of one task group in a row (``group`` ``""``: of none)."""

    group: str
    tooltip: str
    steps: tuple[Step, ...]

    @property
    def title(self) -> str:
        return " / ".join(self.group.split("."))


def operator_of(task: Task, component: Component | None) -> tuple[str, str]:
    """``(operator reST, what it does)`` from the catalog, else from how the task was made."""
    if component is not None:
        return f":etl-class:`~{component.path}`", inline(component.summary)
    if task.style is TaskStyle.TASKFLOW:
        return literal(task.operator), "A Python function (TaskFlow)."
    return literal(task.operator), ""


def after_text(upstream: list[str], previous: str) -> str:
    """Where a step's upstream is not simply the step listed before it, which it is."""
    if upstream == [previous] or (not upstream and not previous):
        return ""
    if not upstream:
        return "Starts with the run."
    return f"After {listing([literal(u) for u in upstream], 'and')}."


def step_of(task: Task, dag: Dag, platform: Platform, after: str) -> Step:
    component = platform.component(task)
    operator, summary = operator_of(task, component)
    facts = [
        after,
        doc_block(task.doc, task.doc_format, heading_level=4) or summary,
        escaped(task.note) if task.note else "",
        "Mapped: one task instance per input, made when the run starts." if task.mapped else "",
        _sentence(systems_sentence(platform.systems(task), detailed=True)),
        _sentence("Produces " + ", ".join(map(asset_ref, task.outlets))) if task.outlets else "",
        _sentence("Reads " + ", ".join(map(asset_ref, task.inlets))) if task.inlets else "",
        f"Triggers {platform.link(task.triggers_dag)}." if task.triggers_dag else "",
        f"Waits for {platform.link(task.waits_for_dag)}." if task.waits_for_dag else "",
        task_failure_words(task.failure, dag.failure, platform.by_path),
        f"Owner: {escaped(task.owner)}." if task.owner and task.owner not in dag.owners[:1] else "",
    ]
    return Step(task.task_id or "?", operator, "\n\n".join(f for f in facts if f), task.mapped)


def _sentence(text: str) -> str:
    return f"{text}." if text and not text.endswith(".") else text


def sections(dag: Dag, platform: Platform) -> list[Section]:
    """The steps in dependency order, cut where the task group changes."""
    upstream: dict[str, list[str]] = {}
    for dependency in dag.dependencies:
        upstream.setdefault(dependency.downstream, []).append(dependency.upstream)
    tooltips = {g.group_id: g.tooltip for g in dag.groups}
    found: list[tuple[str, list[Step]]] = []
    previous = ""
    for task in task_order(dag):
        after = after_text(sorted(set(upstream.get(task.task_id, ()))), previous)
        step = step_of(task, dag, platform, after)
        if not found or found[-1][0] != task.group:
            found.append((task.group, []))
        found[-1][1].append(step)
        previous = task.task_id
    return [Section(g, tooltips.get(g, ""), tuple(steps)) for g, steps in found]


def graph_nodes(
    dag: Dag, docname: str, platform: Platform, links: Mapping[str, str]
) -> list[dag_graphs.Node]:
    """A node per task: labelled without its group's prefix, linked to its operator's page."""
    nodes = []
    for task in task_order(dag):
        if not task.task_id:
            continue
        component = platform.component(task)
        label = task.task_id.removeprefix(f"{task.group}.") if task.group else task.task_id
        page = links.get(component.path, "") if component else ""
        prose = task.doc if task.doc_format in {"markdown", "rst", "text"} else ""
        text = first_sentence(prose) or (component.summary if component else "")
        nodes.append(
            dag_graphs.Node(
                task.task_id,
                f"{label}\n(mapped)" if task.mapped else label,
                dag_graphs.page_url(page, docname) if page else "",
                f"{task.task_id}: {text}" if text else task.task_id,
            )
        )
    return nodes


def when_it_runs(dag: Dag, file: str) -> list[tuple[str, str]]:
    fields = [("Schedule", schedule_text(dag)), ("Start date", date_text(dag.start_date))]
    # Catching up is about time intervals: a DAG that runs only when triggered or when assets
    # are updated has none.
    timed = dag.schedule.kind not in (ScheduleKind.NONE, ScheduleKind.ASSETS)
    if dag.catchup is not None and timed:
        fields.append(
            (
                "Catchup",
                "Yes: a missed interval since the start date still gets its run"
                if dag.catchup
                else "No: only the latest interval runs, missed ones are skipped",
            )
        )
    fields.append(("Timezone", escaped(dag.timezone)))
    static = " (read from the source, not imported)" if dag.parsed is Parsed.STATIC else ""
    fields.append(("Defined in", f"{literal(file)}, line {dag.line}{static}"))
    return [(name, value) for name, value in fields if value]


def date_text(iso: str) -> str:
    """``2025-01-01T00:00:00+00:00`` -> ``2025-01-01``; a time is kept where there is one."""
    try:
        when = datetime.datetime.fromisoformat(iso)
    except ValueError:
        return escaped(iso)
    return f"{when:%Y-%m-%d %H:%M}" if (when.hour, when.minute) != (0, 0) else f"{when:%Y-%m-%d}"


def data_fields(dag: Dag, platform: Platform) -> list[tuple[str, str]]:
    """What the DAG consumes and produces, and the DAGs on either side of it."""
    triggers = [t.triggers_dag for t in dag.tasks if t.triggers_dag]
    waits = [t.waits_for_dag for t in dag.tasks if t.waits_for_dag]
    fields = [
        ("Consumes", schedule_text(dag) if dag.consumes else ""),
        ("Produces", ", ".join(map(asset_ref, dag.produces))),
        ("Fed by", platform.links(platform.others(dag, dag.consumes, platform.producers))),
        ("Feeds", platform.links(platform.others(dag, dag.produces, platform.consumers))),
        ("Triggers", platform.links(triggers)),
        ("Triggered by", platform.links(platform.triggered_by.get(dag.dag_id, []))),
        ("Waits for", platform.links(waits)),
        ("Awaited by", platform.links(platform.awaited_by.get(dag.dag_id, []))),
    ]
    return [(name, value) for name, value in fields if value]


def dag_context(
    dag: Dag,
    docname: str,
    platform: Platform,
    links: Mapping[str, str] | None,
    file: str,
) -> dict[str, Any]:
    """What ``dag.rst.jinja`` shows. ``links`` maps component paths to the docnames the
    graph's nodes link (empty: no links), or is None where there are no graphs."""
    known = {t.task_id for t in dag.tasks}
    edges = sorted(
        {
            (d.upstream, d.downstream)
            for d in dag.dependencies
            if {d.upstream, d.downstream} <= known
        }
    )
    failure = failure_fields(dag.failure, platform.by_path)
    if dag.owners:
        failure.append(("Owners", owners_text(dag.owners, dag.owner_links)))
    dot = ""
    if links is not None and edges:
        nodes = graph_nodes(dag, docname, platform, links)
        dot = dag_graphs.dag_dot(dag, nodes, edges, name=docname)
    return {
        "dag": dag,
        # The doc's headings are at the level of the page's own (When it runs, Steps...).
        "doc": doc_block(dag.doc_md, "markdown", heading_level=2),
        "description": inline(dag.description),
        "runs": when_it_runs(dag, file),
        "data": data_fields(dag, platform),
        "systems": systems_sentence(u for t in dag.tasks for u in platform.systems(t)),
        "failure": failure,
        "sections": sections(dag, platform),
        "dot": dot,
        "edges": edges,
    }


# --- All the pages ---------------------------------------------------------------------------


def shown_file(file: str, root: str) -> str:
    """A DAG file as the page shows it: relative to the site's folder (``conf.py``'s)."""
    if not root:
        return file
    try:
        return Path(os.path.relpath(file, root)).as_posix()
    except ValueError:  # another drive
        return file


def uses_by_component(scan: DagScan, catalog: Catalog) -> dict[str, list[tuple[Dag, Task]]]:
    """``component path -> [(dag, task)]`` for every task whose operator the catalog knows."""
    by_path = catalog.by_path()
    found: dict[str, list[tuple[Dag, Task]]] = {}
    for dag in scan.dags:
        for task in dag.tasks:
            component = component_of(task, by_path)
            if component is not None:
                found.setdefault(component.path, []).append((dag, task))
    return found


def dag_pages(
    env: SandboxedEnvironment,
    scan: DagScan,
    catalog: Catalog,
    links: Mapping[str, str] | None,
    root: str,
    in_navigation: bool = True,
) -> dict[str, str]:
    """``dags/<dag_id>.rst`` for every DAG, ``dags/assets.rst`` and ``dags/index.rst``.

    ``links`` maps component paths to the docnames that graph nodes link (empty: graphs
    without links, for builders whose pages are not where an HTML page's links point), or is
    None where there are no graphs (``dot`` cannot run). Without ``in_navigation`` the DAG
    pages are in no toctree (the index's table links them): HTML navigation is rendered on
    every page, so a thousand DAGs in it cost a thousand times a thousand entries."""
    docnames = dag_docnames(scan)
    platform = Platform.of(scan.dags, docnames, catalog, linked=bool(links))
    dags = platform.dags
    template = env.get_template("dag.rst.jinja")
    pages: dict[str, str] = {}
    for dag in dags:
        docname = docnames[dag.file, dag.dag_id]
        context = dag_context(dag, docname, platform, links, shown_file(dag.file, root))
        pages[f"{docname}.rst"] = template.render(**context, orphan=not in_navigation)
    nodes, found = flows(platform)
    pages[f"{DAG_FOLDER}/{ASSETS_PAGE}.rst"] = env.get_template("assets.rst.jinja").render(
        assets=asset_entries(platform),
        dot=dag_graphs.flow_dot(nodes, found) if links is not None and found else "",
        flows=[flow.words for flow in found],
    )
    pages[f"{DAG_FOLDER}/index.rst"] = env.get_template("dags.rst.jinja").render(
        docnames=[docnames[d.file, d.dag_id].rpartition("/")[2] for d in dags]
        if in_navigation
        else [],
        assets=ASSETS_PAGE,
        problems=len(scan.problems),
    )
    return pages
