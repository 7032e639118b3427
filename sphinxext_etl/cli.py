"""The ``sphinx-etl`` command: ``init`` a docs site from the template, ``publish`` a release.
Argument parsing and messages only; the work is in :mod:`sphinxext_etl.site`."""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from pathlib import Path

from sphinxext_etl.site import publish
from sphinxext_etl.site.init import (
    IMPORT_PATH,
    TEMPLATE_SUFFIX,
    SiteOptions,
    package_name,
    parse_providers,
    render_site,
    write_site,
)

__all__ = ["TEMPLATE_SUFFIX", "build_parser", "main"]


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
        print(
            f"error: these files exist in {args.dir} (use --force to overwrite):", file=sys.stderr
        )
        for path in clashes:
            print(f"  {path}", file=sys.stderr)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-etl", description="Start and publish an Airflow platform docs site."
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))
