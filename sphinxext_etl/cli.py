"""The ``sphinx-etl`` command: ``init`` a docs site from the template, ``publish`` a release,
``diff`` two catalogs. Argument parsing and messages only; the work is in
:mod:`sphinxext_etl.site`, :mod:`sphinxext_etl.model.diff` and :mod:`sphinxext_etl.render.diff`."""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from pathlib import Path

from sphinxext_etl.collect.published import (
    DEFAULT_TIMEOUT,
    CatalogLoadError,
    read_published_catalog,
)
from sphinxext_etl.model.diff import diff
from sphinxext_etl.model.severity import Severity, severity_table
from sphinxext_etl.render.diff import FORMATS
from sphinxext_etl.site import publish
from sphinxext_etl.site.init import (
    IMPORT_PATH,
    SiteOptions,
    package_name,
    parse_providers,
    render_site,
    write_site,
)

__all__ = ["build_parser", "main"]


def ask(question: str, default: str) -> str:
    return input(f"{question} [{default}]: ").strip() or default


def site_options(args: argparse.Namespace, interactive: bool) -> SiteOptions:
    """Options from the command line; missing ones asked for on a terminal, else defaulted."""
    project = args.project or args.dir.resolve().name
    if interactive and not args.project:
        project = ask("Project name", project)
    packages = args.package or [package_name(args.dir)]
    if interactive and not args.package:
        answer = ask("In-house package(s), comma-separated import roots", ",".join(packages))
        packages = [p.strip() for p in answer.split(",") if p.strip()]
    providers = args.providers if args.providers is not None else "all"
    if interactive and args.providers is None:
        providers = ask("Airflow providers to document ('all' or comma-separated)", providers)
    author = args.author or f"The {project} team"
    return SiteOptions(
        project=project,
        packages=packages,
        providers=parse_providers(providers),
        author=author,
        year=datetime.date.today().year,
    )


def run_init(args: argparse.Namespace) -> int:
    interactive = not args.no_input and sys.stdin.isatty()
    options = site_options(args, interactive)
    bad = [p for p in options.packages if not IMPORT_PATH.fullmatch(p)]
    if bad:
        print(f"error: not an import path: {', '.join(bad)}", file=sys.stderr)
        return 2
    files = render_site(options)
    clashes = [f.path for f in files if args.dir.joinpath(f.path).exists()]
    if clashes and not args.force:
        error = f"error: these files exist in {args.dir} (use --force to overwrite):"
        print(error, *(f"  {path}" for path in clashes), sep="\n", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"Would write {len(files)} files to {args.dir}:")
    for file in files:
        note = " (overwrite)" if file.path in clashes else ""
        print(f"  {file.path}{note}")
    if args.dry_run:
        return 0
    write_site(files, args.dir)
    print(f"Wrote {len(files)} files to {args.dir}. Build with: {args.dir}/scripts/build-docs.sh")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    try:
        manifest = publish.publish(args.html, args.site, args.version, latest=args.latest)
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"Published {args.version} to {args.site}; "
        f"versions: {', '.join(manifest.versions)}; latest: {manifest.latest or 'none'}"
    )
    return 0


def severity_override(text: str) -> tuple[str, str]:
    """``--severity ID=LEVEL``, checked against the table (argparse makes errors exit 2)."""
    kind_id, equals, level = text.partition("=")
    if not equals:
        raise argparse.ArgumentTypeError(f"{text!r} is not ID=LEVEL")
    try:
        severity_table({kind_id.strip(): level})
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return kind_id.strip(), level.strip()


def run_diff(args: argparse.Namespace) -> int:
    try:
        old = read_published_catalog(args.old, timeout=args.timeout)
        new = read_published_catalog(args.new, timeout=args.timeout)
    except CatalogLoadError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    result = diff(old, new, dict(args.severity))
    sys.stdout.write(FORMATS[args.format](result))
    if args.fail_on == "never":
        return 0
    return 1 if result.at_least(Severity(args.fail_on)) else 0


DIFF_EPILOG = """exit status:
  0  no change at or above the --fail-on level (always, with --fail-on never)
  1  changes at or above the --fail-on level
  2  a usage error, or a catalog that cannot be read (missing file, bad JSON,
     another schema, unreachable URL)"""


def add_diff_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = commands.add_parser(
        "diff",
        help="what changed between two catalog.json files",
        description="Compare two published catalog.json files: every added, removed, moved\n"
        "or changed component and parameter, rated breaking, warning or info.",
        epilog=DIFF_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = "a catalog.json, a build folder holding one, or an http(s) URL"
    cmd.add_argument("old", metavar="OLD", help=f"the earlier catalog: {where}")
    cmd.add_argument("new", metavar="NEW", help=f"the later catalog: {where}")
    cmd.add_argument("--format", choices=sorted(FORMATS), default="text", help="default: text")
    cmd.add_argument(
        "--fail-on",
        choices=("breaking", "warning", "never"),
        default="never",
        help="exit 1 when a change is at least this severe (default: never)",
    )
    cmd.add_argument(
        "--severity",
        action="append",
        type=severity_override,
        default=[],
        metavar="ID=LEVEL",
        help="rate a kind of change breaking, warning or info; repeatable "
        "(e.g. parameter-default-changed=breaking)",
    )
    cmd.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"for a URL (default: {DEFAULT_TIMEOUT:g})",
    )
    cmd.set_defaults(run=run_diff)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-etl", description="Start, publish and compare an Airflow platform docs site."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create a docs site from the template")
    init.add_argument("dir", type=Path, metavar="DIR", help="where to write the site")
    init.add_argument("--project", help="project name (default: DIR's name)")
    init.add_argument(
        "--package",
        action="append",
        metavar="IMPORT_ROOT",
        help="in-house package to document; repeatable (default: derived from DIR's name)",
    )
    init.add_argument(
        "--providers", help="'all' (default) or comma-separated provider distribution names"
    )
    init.add_argument("--author", help="copyright holder (default: 'The PROJECT team')")
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    init.add_argument("--dry-run", action="store_true", help="list the files, write nothing")
    init.add_argument("--no-input", action="store_true", help="never ask; use the defaults")
    init.set_defaults(run=run_init)

    pub = commands.add_parser("publish", help="add a built release to a versioned site tree")
    pub.add_argument("--html", type=Path, required=True, help="the HTML build folder")
    pub.add_argument("--site", type=Path, required=True, help="the published tree (gh-pages)")
    pub.add_argument("--version", required=True, help="the release, e.g. 1.4.0")
    pub.add_argument(
        "--latest",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="make this release latest/ (--no-latest: keep the current one; "
        "default: the newest stable release)",
    )
    pub.set_defaults(run=run_publish)
    add_diff_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))
