"""Benchmark: what reading the generated component pages costs, and what building their data
parts as node trees instead of reST could save at most (issue 9, "parallel page work").

A component page is reST from ``component.rst.jinja``: its *data parts* (badges, import line,
parameters, templating, connection, relations ...: everything between the title and the
"Documentation" rubric) and its documentation (the class's docstring, which is reST and must be
parsed whatever the extension does). Three projects over the same providers, sharing one
introspection cache, each built serially ``--rounds`` times, interleaved:

``full``
   The shipped templates.
``nodes``
   The data parts are the node trees the ``full`` build made, unpickled by a benchmark-only
   directive; the documentation is parsed as usual. No directive that builds the data parts
   can cost less (a real one would still parse the parameters' descriptions, which are reST),
   and Sphinx's transforms still walk the same nodes: this is the lower bound of the
   "node trees built directly" approach.
``docstring``
   Title and documentation only: what the data parts cost in all.

Prints, per project, the minimum and median over the rounds of the wall time, its reading and
writing phases (Sphinx's progress lines), the nodes per component page, and the median over
the rounds of each project's ratio to ``full`` in the same round (steadier than minimums on a
machine whose speed drifts). Usage::

    AIRFLOW_HOME=/tmp/ah .venv/bin/python benchmarks/bench_pages.py --rounds 3
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import bench_reference
import bench_scale
from docutils import nodes
from sphinx import addnodes

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "sphinxext_etl" / "render" / "templates"
#: Where the data parts of a component page end.
DOCUMENTATION = ".. rubric:: Documentation"
TITLE = '{{ "=" * c.name | length }}\n'

FRAGMENT_EXTENSION = '''"""bench-fragment: this page's data parts as the full build made them."""
import pickle
from pathlib import Path

from sphinx.util.docutils import SphinxDirective

FRAGMENTS = Path({folder!r})


class Fragment(SphinxDirective):
    def run(self):
        name = self.env.docname.replace("/", "__") + ".pickle"
        return pickle.loads((FRAGMENTS / name).read_bytes())


def setup(app):
    app.add_directive("bench-fragment", Fragment)
    return {{"parallel_read_safe": True, "parallel_write_safe": True}}
'''


def component_template(data_parts: str) -> str:
    """The shipped component template with ``data_parts`` in place of its data parts."""
    text = (TEMPLATES / "component.rst.jinja").read_text(encoding="utf-8")
    head, found, documentation = text.partition(DOCUMENTATION)
    title_end = head.find(TITLE)
    if not found or title_end < 0:
        raise SystemExit("component.rst.jinja changed: this benchmark cannot find its parts")
    return head[: title_end + len(TITLE)] + data_parts + found + documentation


def project(folder: Path, providers: list[str], cache: Path, template: str | None) -> Path:
    site = bench_reference.etl_project(folder, providers)
    conf = f"etl_cache_dir = {str(cache)!r}\n"
    if providers == ["all"]:
        conf += 'etl_providers = "all"\n'  # every installed provider
    if template is not None:
        (site / "_templates").mkdir()
        (site / "_templates" / "component.rst.jinja").write_text(template, encoding="utf-8")
        conf += 'templates_path = ["_templates"]\n'
    with (site / "conf.py").open("a", encoding="utf-8") as out:
        out.write(conf)
    return site


def nodes_project(folder: Path, providers: list[str], cache: Path, fragments: Path) -> Path:
    site = project(folder, providers, cache, component_template("\n.. bench-fragment::\n\n"))
    (site / "bench_fragment.py").write_text(
        FRAGMENT_EXTENSION.format(folder=str(fragments)), encoding="utf-8"
    )
    with (site / "conf.py").open("a", encoding="utf-8") as out:
        out.write(
            f'import sys\nsys.path.insert(0, {str(site)!r})\nextensions.append("bench_fragment")\n'
        )
    return site


def doctrees(site: Path) -> dict[str, nodes.document]:
    """The component pages' doctrees of a build, by docname."""
    root = site / "_build" / "doctrees"
    found: dict[str, nodes.document] = {}
    for path in sorted(root.glob("reference/**/*.doctree")):
        document = pickle.loads(path.read_bytes())
        if next(document.findall(addnodes.desc), None) is not None:
            found[path.relative_to(root).with_suffix("").as_posix()] = document
    return found


def save_fragments(site: Path, folder: Path) -> int:
    """Save each component page's data parts (the section's children between its title and
    the Documentation rubric) as the full build made them; how many pages."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = doctrees(site)
    for docname, document in pages.items():
        section = next(document.findall(nodes.section))
        parts: list[nodes.Node] = []
        for child in section.children[1:]:
            if isinstance(child, nodes.rubric) and "etl-rubric-documentation" in child["classes"]:
                break
            parts.append(child)
        for part in parts:
            part.parent = None
            for node in part.findall():
                node.document = None
        (folder / f"{docname.replace('/', '__')}.pickle").write_bytes(pickle.dumps(parts))
    return len(pages)


def nodes_per_page(site: Path) -> float:
    found = doctrees(site)
    return sum(len(list(doc.findall())) for doc in found.values()) / max(len(found), 1)


def build(site: Path) -> dict[str, Any]:
    """One cold serial build (introspection cached): wall and phase seconds."""
    for stale in ("_build", "reference"):
        shutil.rmtree(site / stale, ignore_errors=True)
    command = bench_scale.sphinx_command(sys.executable, site)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    record = bench_scale.measured_run(command, log=site / "build.log", cwd=site, env=env)
    if record["exit_code"]:
        raise SystemExit(f"sphinx-build failed in {site}:\n{record['log_tail']}")
    phases = record["phases"]
    return {"wall": record["seconds"], "reading": phases["reading"], "writing": phases["writing"]}


def summary(runs: list[dict[str, Any]], key: str) -> str:
    values = [run[key] for run in runs]
    return f"{min(values):6.1f} {statistics.median(values):6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--providers",
        nargs="+",
        default=list(bench_reference.DEFAULT_PROVIDERS),
        help='provider names, or "all" for every installed one',
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()
    os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="bench-airflow-"))
    os.environ.pop("SPHINXOPTS", None)
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    cache = work / "cache"
    try:
        sites = {"full": project(work / "full", args.providers, cache, None)}
        build(sites["full"])  # fills the introspection cache; its doctrees give the fragments
        pages = save_fragments(sites["full"], work / "fragments")
        sites["nodes"] = nodes_project(work / "nodes", args.providers, cache, work / "fragments")
        sites["docstring"] = project(
            work / "docstring", args.providers, cache, component_template("\n")
        )
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in sites}
        for round_ in range(args.rounds):
            for name, site in sites.items():
                runs[name].append(build(site))
                print(f"round {round_ + 1} {name}: {runs[name][-1]}", flush=True)
        sizes = {name: nodes_per_page(site) for name, site in sites.items()}
    finally:
        if args.keep:
            print(f"projects kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(
        f"providers: {', '.join(args.providers)}; component pages: {pages}; rounds: {args.rounds}"
    )
    print("project    nodes/page     wall min/med   reading min/med   writing min/med")
    for name, found in runs.items():
        print(
            f"{name:<10} {sizes[name]:>10.0f}   {summary(found, 'wall')}     "
            f"{summary(found, 'reading')}     {summary(found, 'writing')}"
        )
    for name in ("nodes", "docstring"):
        # Each round's builds ran one after the other: their ratio is steadier than the
        # ratio of minimums on a machine whose speed drifts.
        paired = {
            key: statistics.median(
                run[key] / full[key] for run, full in zip(runs[name], runs["full"], strict=True)
            )
            for key in ("wall", "reading", "writing")
        }
        print(
            f"{name} / full, median of the rounds' ratios: wall {paired['wall']:.2f}x, "
            f"reading {paired['reading']:.2f}x, writing {paired['writing']:.2f}x"
        )


if __name__ == "__main__":
    main()
