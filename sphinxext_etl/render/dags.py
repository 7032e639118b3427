"""DAG pages: one per DAG, read like the business workflow it describes (its ``doc_md``, its
schedule and owner, its tasks in dependency order with what each operator does), and the
DAG index. Pure functions of the scan and the catalog."""

from __future__ import annotations

import ast
import heapq
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment

from sphinxext_etl.model import Catalog, Component
from sphinxext_etl.model.usage import Dag, DagScan, Task, TaskStyle, component_of
from sphinxext_etl.render.text import escaped, inline, literal
from sphinxext_etl.render.transfers import quoted

#: Under the reference folder.
DAG_FOLDER = "dags"

_HEADING = re.compile(r"^(#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(?P<text>.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)\s*(?P<language>[\w+-]*)\s*$")
_MD_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)")
_MD_CODE = re.compile(r"`(?P<code>[^`]+)`")
_MD_INLINE = re.compile(f"{_MD_LINK.pattern}|{_MD_CODE.pattern}")


@dataclass(frozen=True)
class TaskRow:
    """One task as its DAG page lists it."""

    task_id: str
    line: int
    #: The operator as a reference (or a literal, for what the catalog lacks).
    operator: str
    #: What the operator does: the component's summary, or how the task was made.
    summary: str
    upstream: tuple[str, ...]


def dag_docnames(scan: DagScan) -> dict[tuple[str, str], str]:
    """``(file, dag_id) -> dags/<dag_id>``; a dag_id two files define gets its file's stem."""
    taken: dict[str, int] = {}
    for dag in scan.dags:
        taken[dag.dag_id] = taken.get(dag.dag_id, 0) + 1
    return {
        (dag.file, dag.dag_id): f"{DAG_FOLDER}/"
        + (dag.dag_id if taken[dag.dag_id] == 1 else f"{Path(dag.file).stem}.{dag.dag_id}")
        for dag in scan.dags
    }


def task_order(dag: Dag) -> list[Task]:
    """The tasks in dependency order (upstream first); among tasks free to run, the one that
    comes first in the file. Tasks in a cycle keep their file order at the end."""
    position = {task.task_id: index for index, task in enumerate(dag.tasks)}
    upstream: dict[str, set[str]] = {t.task_id: set() for t in dag.tasks}
    for dependency in dag.dependencies:
        if dependency.upstream in upstream and dependency.downstream in upstream:
            upstream[dependency.downstream].add(dependency.upstream)
    ready = [(position[t], t) for t, ups in upstream.items() if not ups]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        _, task_id = heapq.heappop(ready)
        ordered.append(task_id)
        for other, ups in upstream.items():
            if task_id in ups:
                ups.discard(task_id)
                if not ups and other not in ordered:
                    heapq.heappush(ready, (position[other], other))
    ordered += [t.task_id for t in dag.tasks if t.task_id not in ordered]
    by_id = {t.task_id: t for t in dag.tasks}
    return [by_id[t] for t in dict.fromkeys(ordered)]


def task_rows(dag: Dag, by_path: Mapping[str, Component]) -> list[TaskRow]:
    upstream: dict[str, list[str]] = {}
    for dependency in dag.dependencies:
        upstream.setdefault(dependency.downstream, []).append(dependency.upstream)
    rows = []
    for task in task_order(dag):
        component = component_of(task, by_path)
        if component is not None:
            operator, summary = f":etl-class:`~{component.path}`", inline(component.summary)
        elif task.style is TaskStyle.TASKFLOW:
            operator, summary = literal(task.operator), "A Python function (TaskFlow)."
        else:
            operator, summary = literal(task.operator), ""
        notes = [summary, escaped(task.note) if task.note else ""]
        if task.mapped:
            notes.append("Mapped: one task instance per input.")
        rows.append(
            TaskRow(
                task_id=task.task_id or "?",
                line=task.line,
                operator=operator,
                summary=" ".join(filter(None, notes)),
                upstream=tuple(sorted(set(upstream.get(task.task_id, ())))),
            )
        )
    return rows


def dot_source(dag: Dag) -> str:
    """The DAG's dependencies as a left-to-right Graphviz digraph."""
    lines = [
        "digraph dag {",
        "   rankdir=LR;",
        '   node [shape=box, style="rounded,filled", fillcolor="#eef3f8", fontname="sans-serif"];',
    ]
    lines += [f"   {quoted(task.task_id)};" for task in task_order(dag) if task.task_id]
    lines += [f"   {quoted(d.upstream)} -> {quoted(d.downstream)};" for d in dag.dependencies]
    lines.append("}")
    return "\n".join(lines)


def markdown_as_rest(text: str) -> str:
    """The subset of Markdown a ``doc_md`` usually holds, as reST: paragraphs, ``#`` headings
    (rubrics), lists, fenced code, inline code and links. Anything else stays text."""
    out: list[str] = []
    fence: str | None = None
    for line in text.strip("\n").splitlines():
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1) == fence:
                fence = None
                out.append("")
            else:
                out.append(f"   {line}" if line.strip() else "")
            continue
        if opening:
            fence = opening.group(1)
            out += ["", f".. code-block:: {opening['language'] or 'text'}", ""]
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if heading:
            out += ["", f".. rubric:: {escaped(heading['title'])}", ""]
        elif bullet:
            indent = " " * len(bullet.group(1))
            marker = "#." if bullet.group(2)[0].isdigit() else "*"
            out.append(f"{indent}{marker} {_markdown_inline(bullet['text'])}")
        else:
            out.append(_markdown_inline(line) if line.strip() else "")
    return "\n".join(out).strip("\n")


def _markdown_inline(text: str) -> str:
    """Inline code and links kept; everything else made inert text."""
    pieces: list[str] = []
    last = 0
    for match in _MD_INLINE.finditer(text):
        pieces.append(_spaced(text[last : match.start()]))
        if match["url"]:
            pieces.append(f"`{escaped(match['text'])} <{match['url']}>`__")
        else:
            pieces.append(literal(match["code"]))
        last = match.end()
    pieces.append(_spaced(text[last:]))
    joined = ""
    for piece in pieces:
        if joined and piece and not joined.endswith(" ") and not piece.startswith(" "):
            # Inline markup must be separated from the text around it.
            joined += "\\ "
        joined += piece
    return joined


def _spaced(segment: str) -> str:
    """:func:`inline` text that keeps the blanks at its ends (they separate it from markup)."""
    if not segment.strip():
        return " " if segment else ""
    lead = " " if segment[0].isspace() else ""
    return lead + inline(segment) + (" " if segment[-1].isspace() else "")


def shown_file(file: str, root: str) -> str:
    """A DAG file as the page shows it: relative to the site's folder (``conf.py``'s)."""
    if not root:
        return file
    try:
        return Path(os.path.relpath(file, root)).as_posix()
    except ValueError:  # another drive
        return file


def schedule_text(schedule: str) -> str:
    """``'@daily'`` as written in the source reads ``@daily``; an expression stays as is."""
    try:
        value = ast.literal_eval(schedule)
    except (ValueError, SyntaxError):
        return schedule
    return value if isinstance(value, str) else schedule


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
    env: SandboxedEnvironment, scan: DagScan, catalog: Catalog, graphviz: bool, root: str
) -> dict[str, str]:
    """``dags/<dag_id>.rst`` for every DAG, and ``dags/index.rst``."""
    by_path = catalog.by_path()
    docnames = dag_docnames(scan)
    template = env.get_template("dag.rst.jinja")
    pages: dict[str, str] = {}
    listed = []
    for dag in sorted(scan.dags, key=lambda d: (d.dag_id, d.file)):
        docname = docnames[dag.file, dag.dag_id]
        known = {t.task_id for t in dag.tasks}
        edges = sorted(
            {(d.upstream, d.downstream) for d in dag.dependencies}
            & {(u, d) for u in known for d in known}
        )
        pages[f"{docname}.rst"] = template.render(
            dag=dag,
            doc=markdown_as_rest(dag.doc_md) if dag.doc_md.strip() else "",
            file=shown_file(dag.file, root),
            schedule=schedule_text(dag.schedule),
            rows=task_rows(dag, by_path),
            dot=dot_source(dag) if graphviz and edges else "",
            edges=edges,
        )
        listed.append(
            (dag, docname, shown_file(dag.file, root), schedule_text(dag.schedule), len(dag.tasks))
        )
    pages[f"{DAG_FOLDER}/index.rst"] = env.get_template("dags.rst.jinja").render(
        dags=listed, problems=len(scan.problems)
    )
    return pages
