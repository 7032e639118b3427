"""Benchmark: the real-world site built against growing provider sets (6, 22 and all 98).

Each set lives in a venv of its own and is built as the ``realworld/`` site (its ``conf.py`` and
``index.rst`` copied into a temporary project; the 6-set names its providers instead of
``"all"``). Per set, every step in a fresh subprocess:

* **cold -j auto**, **cold serial**: empty output, doctree and cache folders;
* **warm**: the same build again, nothing changed (the no-op rebuild);
* **bare cold**, **bare no-op**: a project of the same documents without the extension (see
  ``bench_reference.bare_project``), built once and then rebuilt with nothing changed;
* **import floor**: ``import_floor.py``, which imports every module discovery lists, in one
  fresh process: what a cold build cannot beat;
* for the 6-set, ``bench_reference.compare``: the extension against autosummary.

Runs record wall time, the peak summed PSS of the whole process tree, the load average, the
exit code and the warnings; failures are recorded, not raised. See ``benchmarks/README.rst``.
Usage (``make bench`` / ``make bench-all``)::

    AIRFLOW_HOME=/tmp/afhome-bench .venv/bin/python benchmarks/bench_scale.py --sets 6 22 \\
        --out benchmarks/results/2026-11-25-before-workers
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import bench_reference
import measure

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
SCHEMA = 1


@dataclass(frozen=True)
class ProviderSet:
    name: str
    #: The venv, relative to the repository (the Makefile's names).
    venv: str
    #: ``etl_providers``: ``"all"`` or a list.
    providers: str | tuple[str, ...]
    #: Also a serial cold build (skipped where it would take too long).
    serial: bool
    #: Also the autosummary comparison of ``bench_reference``.
    autosummary: bool = False


SETS = {
    s.name: s
    for s in (
        ProviderSet("6", ".venv", bench_reference.DEFAULT_PROVIDERS, serial=True, autosummary=True),
        ProviderSet("22", ".venv-providers", "all", serial=True),
        ProviderSet("98", ".venv-providers-all", "all", serial=False),
    )
}
PACKAGES = ("acme_platform",)
#: The in-house packages' source folders, compiled in the warm-up with the venv.
IN_HOUSE = ("examples/acme_platform",)
#: Sphinx's progress lines that end the phases of a build, in order (``measure.run``'s marks).
PHASE_ENDS = (
    # Config, extensions, builder-inited: the extension's introspection and generated pages.
    ("set-up", b"updating environment:"),
    ("reading", b"looking for now-outdated files"),
    ("writing", b"generating indices"),
)
WARNING = re.compile(r"\b(WARNING|ERROR|CRITICAL):")
ETL_LINE = re.compile(r"^\[etl\] .*$", re.MULTILINE)
OPTIONAL = re.compile(r"\[etl\] (\d+) provider module\(s\) need optional dependencies")


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def measured_run(
    command: list[str], *, log: Path, cwd: Path, env: dict[str, str], warnings: Path | None = None
) -> dict[str, Any]:
    """Run and measure one step; everything about it as JSON-ready data."""
    before = load()
    result = measure.run(command, log=log, cwd=cwd, env=env, marks=PHASE_ENDS)
    record: dict[str, Any] = {
        "command": shlex.join(command),
        "cwd": str(cwd),
        **asdict(result),
        "phases": phases(result),
        "load_before": before,
        "load_after": load(),
    }
    text = log.read_text(encoding="utf-8", errors="replace")
    if warnings is not None:
        lines = warnings.read_text(encoding="utf-8", errors="replace") if warnings.exists() else ""
        record["warnings"] = len(WARNING.findall(lines))
        record["first_warnings"] = [line for line in lines.splitlines() if WARNING.search(line)][:5]
        optional = OPTIONAL.search(text)
        record["optional_modules"] = int(optional[1]) if optional else 0
        # The extension's one-line summaries (optional dependencies, docstring problems).
        record["etl_summaries"] = ETL_LINE.findall(text)[:10]
    if result.exit_code:
        record["log_tail"] = text[-2500:]
    return record


def phases(result: measure.Measured) -> dict[str, float]:
    """Seconds each phase of a Sphinx build took, and the rest after writing; none unless
    the output showed every phase's end (a no-op build writes nothing)."""
    if any(name not in result.marks for name, _ in PHASE_ENDS):
        return {}
    found: dict[str, float] = {}
    start = 0.0
    for name, _ in PHASE_ENDS:
        found[name] = round(max(result.marks[name] - start, 0.0), 1)
        start = result.marks[name]
    found["rest"] = round(max(result.seconds - start, 0.0), 1)
    return found


def sphinx_command(python: str, site: Path, *extra: str) -> list[str]:
    build = site / "_build"
    return [
        python,
        "-m",
        "sphinx",
        "-b",
        "html",
        *extra,
        "-d",
        str(build / "doctrees"),
        "-w",
        str(build / "warnings.txt"),
        str(site),
        str(build / "html"),
    ]


def realworld_file(name: str, rev: str | None) -> str:
    if rev is None:
        return (REPO / "realworld" / name).read_text(encoding="utf-8")
    return git("show", f"{rev}:realworld/{name}")


def write_site(folder: Path, chosen: ProviderSet, rev: str | None) -> Path:
    """The realworld site, with the set's providers where it names them."""
    folder.mkdir(parents=True)
    conf = realworld_file("conf.py", rev)
    if chosen.providers != "all":
        conf += f"\netl_providers = {list(chosen.providers)!r}\n"
    (folder / "conf.py").write_text(conf, encoding="utf-8")
    (folder / "index.rst").write_text(realworld_file("index.rst", rev), encoding="utf-8")
    return folder


def site_counts(site: Path) -> dict[str, int]:
    """Owners, official providers and components from catalog.json; the site's documents."""
    counts = {"pages": len(list(site.glob("*.rst"))) + len(list(site.rglob("reference/**/*.rst")))}
    try:
        catalog = json.loads((site / "_build" / "html" / "catalog.json").read_text("utf-8"))
    except (OSError, ValueError):
        return counts
    names = [p.get("name", "") for p in catalog.get("providers", [])]
    counts["owners"] = len(names)
    counts["providers"] = sum(n.startswith("apache-airflow-providers-") for n in names)
    counts["components"] = len(catalog.get("components", []))
    return counts


def components_by_owner(site: Path) -> dict[str, int]:
    """Components per owner in the build's catalog.json, largest first."""
    try:
        catalog = json.loads((site / "_build" / "html" / "catalog.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    owners = Counter(str(c.get("owner", "")) for c in catalog.get("components", []))
    return dict(owners.most_common())


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True
    ).stdout


def export_code(rev: str, folder: Path) -> Path:
    """``sphinxext_etl`` as it is at ``rev``, to be put first on PYTHONPATH."""
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "sphinxext_etl"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def code_description(rev: str | None) -> dict[str, Any]:
    if rev is not None:
        return {"source": f"git archive {rev}", "commit": git("rev-parse", rev).strip()}
    dirty = bool(git("status", "--porcelain", "--", "sphinxext_etl").strip())
    return {
        "source": "working tree" + (" (uncommitted changes)" if dirty else ""),
        "commit": git("rev-parse", "HEAD").strip(),
    }


def versions(python: str) -> dict[str, str]:
    script = (
        "import importlib.metadata as m, json\n"
        "names = ['sphinx', 'docutils', 'apache-airflow']\n"
        "print(json.dumps({n: m.version(n) for n in names}))"
    )
    found = subprocess.run([python, "-c", script], capture_output=True, text=True, check=False)
    try:
        return dict(json.loads(found.stdout))
    except ValueError:
        return {}


def warm_up(python: str, env: dict[str, str], work: Path, chosen: ProviderSet) -> None:
    """Compile bytecode and fill the page cache, so no timed run pays for either once: uv
    installs without .pyc files, and the first import writes them only where
    ``PYTHONDONTWRITEBYTECODE`` is unset (CI images often set it; then every run compiled every
    provider module it imported, floor and builds alike, and the floor doubled). So the whole
    venv and the extension's code are compiled here, as ``pip install`` would have done."""
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    code = [Path(p) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    folders = [Path(purelib), *code, REPO / "sphinxext_etl", *map(REPO.joinpath, IN_HOUSE)]
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j", "0", *map(str, folders)],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    subprocess.run(
        floor_command(python, chosen, work / "warm-up.json"),
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )


def floor_command(python: str, chosen: ProviderSet, output: Path) -> list[str]:
    providers = ["all"] if chosen.providers == "all" else list(chosen.providers)
    return [
        python,
        str(HERE / "import_floor.py"),
        "--providers",
        *providers,
        "--packages",
        *PACKAGES,
        "--json",
        str(output),
    ]


def ratio(numerator: dict[str, Any] | None, denominator: dict[str, Any] | None) -> float | None:
    if not numerator or not denominator or numerator["exit_code"] or denominator["exit_code"]:
        return None
    return round(float(numerator["seconds"]) / float(denominator["seconds"]), 2)


def run_set(
    chosen: ProviderSet, work: Path, env: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    python = str(REPO / chosen.venv / "bin" / "python")
    result: dict[str, Any] = {
        "venv": chosen.venv,
        "etl_providers": chosen.providers if chosen.providers == "all" else list(chosen.providers),
        "etl_packages": list(PACKAGES),
        "versions": versions(python),
        "code": code_description(args.rev),
        "started": now(),
        "load_at_start": load(),
        "runs": {},
    }
    runs: dict[str, Any] = result["runs"]
    log = work / "logs"

    def step(name: str, command: list[str], cwd: Path, warnings: Path | None = None) -> None:
        print(f"[bench {chosen.name}] {name} (load {load()[0]})", flush=True)
        runs[name] = measured_run(
            command, log=log / f"{name.replace(' ', '-')}.log", cwd=cwd, env=env, warnings=warnings
        )
        run = runs[name]
        print(
            f"[bench {chosen.name}] {name}: {run['seconds']:.1f} s, exit {run['exit_code']}, "
            f"peak PSS {run['peak_pss_mb']:.0f} MB",
            flush=True,
        )

    if args.warm_up:
        print(f"[bench {chosen.name}] warm-up (bytecode, page cache)", flush=True)
        warm_up(python, env, work, chosen)

    step("import floor", floor_command(python, chosen, work / "floor.json"), work)
    try:
        result["floor"] = json.loads((work / "floor.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        result["floor"] = {}

    site = write_site(work / "site", chosen, args.rev)
    warnings = site / "_build" / "warnings.txt"
    step("cold -j auto", sphinx_command(python, site, "-j", "auto"), work, warnings)
    result["counts"] = site_counts(site)
    result["components_by_owner"] = components_by_owner(site)
    step("warm -j auto", sphinx_command(python, site, "-j", "auto"), work, warnings)
    if chosen.serial and args.serial:
        serial = write_site(work / "site-serial", chosen, args.rev)
        serial_warnings = serial / "_build" / "warnings.txt"
        step("cold serial", sphinx_command(python, serial), work, serial_warnings)
        step("warm serial", sphinx_command(python, serial), work, serial_warnings)

    if (site / "reference").is_dir():
        theme = 'html_theme = "sphinx_rtd_theme"\n'
        bare = bench_reference.bare_project(work / "bare", site, python, theme)
        step("bare cold -j auto", sphinx_command(python, bare, "-j", "auto"), work)
        step("bare no-op -j auto", sphinx_command(python, bare, "-j", "auto"), work)
        if chosen.serial and args.serial:
            step("bare no-op serial", sphinx_command(python, bare), work)
        # The same without the large root page that Sphinx loads again for each page's
        # navigation (what the extension's packed tables avoid): how much of the bare build's
        # writing is that.
        light = bench_reference.bare_project(work / "bare-light", site, python, theme, True)
        step("bare light-root cold -j auto", sphinx_command(python, light, "-j", "auto"), work)

    if chosen.autosummary and args.autosummary:
        print(f"[bench {chosen.name}] autosummary comparison (bench_reference)", flush=True)
        try:
            compared, pages, samples = bench_reference.compare(
                list(chosen.providers),
                work / "reference",
                python=python,
                repeat=args.autosummary_repeat,
            )
            paired = functools.partial(bench_reference.paired, samples)
            result["reference"] = {
                "pages": pages,
                "repeat": args.autosummary_repeat,
                "runs": {name: asdict(run) for name, run in compared.items()},
                "every_run": {name: [r.seconds for r in made] for name, made in samples.items()},
                "cold_etl_over_autosummary": round(paired("etl cold", "autosummary cold"), 2),
                "cold_bare_over_autosummary": round(paired("bare cold", "autosummary cold"), 2),
                "warm_etl_over_bare_noop": round(paired("etl warm", "bare no-op"), 2),
            }
        except SystemExit as failure:
            result["reference"] = {"failed": str(failure)[-2500:]}

    result["ratios"] = {
        "cold -j auto / import floor": ratio(runs.get("cold -j auto"), runs.get("import floor")),
        "cold serial / import floor": ratio(runs.get("cold serial"), runs.get("import floor")),
        "warm -j auto / bare no-op -j auto": ratio(
            runs.get("warm -j auto"), runs.get("bare no-op -j auto")
        ),
        "warm serial / bare no-op serial": ratio(
            runs.get("warm serial"), runs.get("bare no-op serial")
        ),
    }
    result["finished"] = now()
    result["load_at_end"] = load()
    return result


def now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


# --- the report -------------------------------------------------------------------------------


def seconds(run: dict[str, Any] | None) -> str:
    if not run:
        return "-"
    return f"{run['seconds']:.1f}" + ("" if not run["exit_code"] else f" (exit {run['exit_code']})")


def times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join((f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}") for i, w in enumerate(widths))
    return [line.format(*header), line.format(*["-" * w for w in widths])] + [
        line.format(*row) for row in rows
    ]


def render(report: dict[str, Any]) -> str:
    """The plain-text report, from the JSON alone."""
    out = [
        "sphinxext-etl scale benchmark (benchmarks/bench_scale.py; columns: benchmarks/README.rst)",
        f"machine: {report['machine']['cpus']} CPUs, {report['machine']['memory_gb']} GB, "
        f"Python {report['machine']['python']}, {report['machine']['platform']}",
    ]
    for invocation in report["invocations"]:
        out.append(
            f"run {invocation['started']} .. {invocation['finished']}: {invocation['command']}"
        )
    sets = report["sets"]
    out += ["", "Summary (seconds; memory is the peak summed PSS of the process tree, in MB)", ""]
    rows = []
    for name, s in sets.items():
        runs, counts = s["runs"], s.get("counts", {})
        cold = runs.get("cold -j auto")
        rows.append(
            [
                name,
                str(counts.get("providers", "-")),
                str(counts.get("components", "-")),
                str(counts.get("pages", "-")),
                seconds(cold),
                seconds(runs.get("cold serial")),
                seconds(runs.get("warm -j auto")),
                seconds(runs.get("import floor")),
                seconds(runs.get("bare no-op -j auto")),
                seconds(runs.get("bare cold -j auto")),
                times(s["ratios"].get("cold -j auto / import floor")),
                times(ratio(cold, runs.get("bare cold -j auto"))),
                times(s["ratios"].get("cold serial / import floor")),
                times(s["ratios"].get("warm -j auto / bare no-op -j auto")),
                f"{cold['peak_pss_mb']:.0f}" if cold else "-",
                f"{runs['import floor']['peak_pss_mb']:.0f}" if "import floor" in runs else "-",
                str(cold.get("warnings", "-")) if cold else "-",
                "/".join(f"{x:.1f}" for x in s["load_at_start"][:2]),
            ]
        )
    out += table(
        [
            "set",
            "providers",
            "components",
            "pages",
            "cold -j",
            "cold -j1",
            "warm -j",
            "floor",
            "bare noop",
            "bare cold",
            "cold/floor",
            "cold/bare",
            "cold1/floor",
            "warm/bare",
            "PSS cold",
            "PSS floor",
            "warnings",
            "load 1/5m",
        ],
        rows,
    )
    for name, s in sets.items():
        out += [
            "",
            f"Set {name}: {s['venv']}, etl_providers = {s['etl_providers']!r}, "
            f"etl_packages = {s['etl_packages']!r}",
        ]
        out.append(
            f"  code: {s['code']['source']} ({s['code']['commit'][:10]}); "
            + ", ".join(f"{k} {v}" for k, v in s["versions"].items())
        )
        counts, floor = s.get("counts", {}), s.get("floor", {})
        out.append(
            f"  catalog: {counts.get('owners', '-')} owners ({counts.get('providers', '-')} "
            f"official providers), {counts.get('components', '-')} components, "
            f"{counts.get('pages', '-')} pages"
        )
        largest = list(s.get("components_by_owner", {}).items())[:6]
        if largest:
            out.append("  most components: " + ", ".join(f"{o} {n}" for o, n in largest))
        if floor:
            out.append(
                f"  import floor: {floor['modules']} modules of {floor['owners']} owners, "
                f"{floor['failed']} failed to import; listing them {floor['discovery_seconds']} s "
                f"(Airflow's import included), importing them {floor['import_seconds']} s"
            )
        rows = [
            [
                run_name,
                f"{run['seconds']:.1f}",
                str(run["exit_code"]),
                f"{run['peak_pss_mb']:.0f}",
                str(run["peak_processes"]),
                f"{run['max_rss_mb']:.0f}",
                str(run.get("warnings", "")),
                "/".join(f"{x:.1f}" for x in run["load_before"]),
            ]
            for run_name, run in s["runs"].items()
        ]
        out += [
            "  " + line
            for line in table(
                [
                    "run",
                    "seconds",
                    "exit",
                    "PSS MB",
                    "procs",
                    "max RSS",
                    "warnings",
                    "load 1/5/15m",
                ],
                rows,
            )
        ]
        for run_name, run in s["runs"].items():
            if run.get("phases"):
                spent = ", ".join(f"{k} {v:.1f}" for k, v in run["phases"].items())
                out.append(f"  {run_name} phases (s): {spent}")
        for run_name, run in s["runs"].items():
            if run_name.startswith("cold"):
                out += [f"  {run_name}: {line[:300]}" for line in run.get("etl_summaries", [])]
            for line in run.get("first_warnings", []):
                out.append(f"  {run_name} warning: {line[:300]}")
            if run["exit_code"]:
                out.append(f"  {run_name} FAILED (exit {run['exit_code']}); log tail:")
                out += ["    " + line for line in run.get("log_tail", "").splitlines()[-25:]]
        reference = s.get("reference")
        if reference and "runs" in reference:
            out.append(
                f"  autosummary comparison (bench_reference.py, serial, {reference['pages']} "
                "pages, reference pages only):"
            )
            rows = [
                [n, f"{r['seconds']:.1f}", f"{r['peak_pss_mb']:.0f}", f"{r['peak_rss_mb']:.0f}"]
                for n, r in reference["runs"].items()
            ]
            out += [
                "    " + line for line in table(["build", "seconds", "PSS MB", "max RSS"], rows)
            ]
            out.append(
                f"    cold etl / autosummary = {reference['cold_etl_over_autosummary']:.2f}x "
                f"(target <= {bench_reference.COLD_TARGET}x); warm etl / bare no-op = "
                f"{reference['warm_etl_over_bare_noop']:.2f}x (target <= "
                f"{bench_reference.WARM_TARGET}x)"
            )
            if "cold_bare_over_autosummary" in reference:
                out.append(
                    f"    cold bare / autosummary = {reference['cold_bare_over_autosummary']:.2f}x"
                    " (Sphinx alone on the same documents)"
                )
            if reference.get("repeat", 1) > 1:
                out.append(
                    f"    medians of {reference['repeat']} runs made in turn; the ratios are "
                    "medians of the ratios of runs made one after the other; every run (s):"
                )
                out += [
                    f"      {name:<18} " + " ".join(f"{t:.1f}" for t in times)
                    for name, times in reference["every_run"].items()
                ]
        elif reference:
            out.append(f"  autosummary comparison failed: {reference['failed'][-500:]}")
        ratios = ", ".join(f"{k} = {times(v)}" for k, v in s["ratios"].items() if v is not None)
        out.append(f"  ratios: {ratios}")
        out.append(
            f"  load average at start {s['load_at_start']}, at end {s['load_at_end']} "
            f"({s['started']} .. {s['finished']})"
        )
    return "\n".join(out) + "\n"


def machine() -> dict[str, Any]:
    memory_kb = 0
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=["6", "22"])
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "results" / datetime.date.today().isoformat(),
        help="writes OUT.json and OUT.txt; sets already in OUT.json are kept (or replaced)",
    )
    parser.add_argument(
        "--rev",
        help="measure sphinxext_etl as committed at this git revision (default: as "
        "the venvs import it, i.e. the working tree)",
    )
    parser.add_argument("--no-serial", dest="serial", action="store_false")
    parser.add_argument("--no-autosummary", dest="autosummary", action="store_false")
    parser.add_argument(
        "--autosummary-repeat",
        type=int,
        default=1,
        help="run each build of the autosummary comparison this many times, in turn",
    )
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()

    missing = [SETS[n].venv for n in args.sets if not (REPO / SETS[n].venv / ".installed").exists()]
    if missing:
        raise SystemExit(f"not installed: {', '.join(missing)} (make <venv>/.installed)")
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    env = os.environ.copy()
    env.setdefault("AIRFLOW_HOME", str(work / "airflow-home"))
    env.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    env.pop("SPHINXOPTS", None)
    # Progress lines reach the log when printed: measure.run times the phases by them.
    env["PYTHONUNBUFFERED"] = "1"
    if args.rev:
        # Resolved once: others may commit while a long run goes on.
        args.rev = git("rev-parse", "--verify", f"{args.rev}^{{commit}}").strip()
        code = export_code(args.rev, work / "code")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    os.environ.clear()
    os.environ.update(env)  # bench_reference's builds take os.environ

    json_path, text_path = args.out.with_suffix(".json"), args.out.with_suffix(".txt")
    report: dict[str, Any] = {"schema": SCHEMA, "invocations": [], "sets": {}}
    if json_path.exists():
        report = json.loads(json_path.read_text(encoding="utf-8"))
    report["machine"] = machine()
    invocation = {
        "command": shlex.join([Path(sys.executable).name, *sys.argv]),
        "airflow_home": env["AIRFLOW_HOME"],
        "started": now(),
    }
    try:
        for name in args.sets:
            folder = work / f"set-{name}"
            folder.mkdir()
            result = run_set(SETS[name], folder, env, args)
            report["sets"][name] = result
            report["sets"] = {n: report["sets"][n] for n in SETS if n in report["sets"]}
            # Written after every set: a long run that dies keeps what it measured.
            invocation["finished"] = now()
            invocations = [
                i for i in report["invocations"] if i["started"] != invocation["started"]
            ]
            report["invocations"] = [*invocations, invocation]
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
            text_path.write_text(render(report), encoding="utf-8")
    finally:
        if args.keep:
            print(f"projects kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(text_path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
