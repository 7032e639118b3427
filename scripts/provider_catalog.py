"""Build the ``catalog.json`` of one pinned provider release, in a throwaway virtualenv.

Usage::

    python scripts/provider_catalog.py PROVIDER==VERSION OUT.json [--airflow VERSION]
                                       [--with REQUIREMENT ...] [--keep]

``PROVIDER`` is a distribution name (``apache-airflow-providers-slack``) or its short name
(``slack``). In a temporary folder the script makes a virtualenv with the project's ``uv``,
installs ``apache-airflow==AIRFLOW`` (default 3.3.2), the provider at ``VERSION`` and this
package (``-e`` of the checkout), then reads that one provider with :mod:`sphinxext_etl.collect`
inside the venv (``AIRFLOW_HOME`` is a folder of the temporary one) and writes
``model.dumps(Catalog(providers=(provider,), components=...))`` to ``OUT.json``. Modules that
fail to import are read statically, as in a docs build, and listed on standard error.

Two catalogs of one provider built with the same ``--airflow`` differ only where the provider
did: Airflow's base classes, whose parameters every operator inherits, are the same in both.
Components are sorted by path and each ``source_file`` is made relative to the venv's
``site-packages`` (``airflow/providers/slack/operators/slack.py``), so the file does not depend
on the temporary folder; nothing else is changed.

The fixtures of ``tests/test_real_diff.py`` were made with (uv 0.13.8, Python 3.11; the venvs
resolved common-compat 1.23.0, common-sql 2.4.0, task-sdk 1.3.2)::

    .venv/bin/python scripts/provider_catalog.py apache-airflow-providers-slack==8.9.1 \\
        tests/fixtures/catalogs/slack-8.9.1.json --airflow 3.3.2 --with aiohttp==3.14.5
    .venv/bin/python scripts/provider_catalog.py apache-airflow-providers-slack==9.4.0 \\
        tests/fixtures/catalogs/slack-9.4.0.json --airflow 3.3.2 --with aiohttp==3.14.5

slack 9.4.0 imports ``slack_sdk``'s async clients, which need ``aiohttp``, without requiring it,
and nothing else on Airflow 3.3.2 brings it: without ``--with aiohttp`` every module of 9.4.0
is read statically. Both builds get the same pin so that the venvs differ only in the provider.
Rebuilt with the same commands, both files come out byte for byte the same.

``--with REQUIREMENT`` pins one more package in the venv (repeatable). ``--keep`` leaves the
temporary folder (venv and ``AIRFLOW_HOME``) in place and prints its path.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Airflow 3 release the catalogs are read on (both slack fixtures install on it).
AIRFLOW = "3.3.2"
PROVIDER_PREFIX = "apache-airflow-providers-"

#: Runs inside the venv: read one provider and write its catalog. argv: name, output path.
READ_PROVIDER = """
import dataclasses, sys, sysconfig
from pathlib import Path

from sphinxext_etl import model
from sphinxext_etl.collect import discovery, read_owner
from sphinxext_etl.config import EtlConfig

name, out = sys.argv[1], Path(sys.argv[2])
config = EtlConfig(providers=[name])
problems = []
owners = [o for o in discovery.owners(config, problems) if o.name == name]
if not owners:
    sys.exit(f"{name} is not installed in the venv: {problems}")
record = read_owner(owners[0], config)
site = Path(sysconfig.get_paths()["purelib"]).resolve()


def relative(path):
    try:
        return Path(path).resolve().relative_to(site).as_posix()
    except ValueError:
        return path


components = sorted(
    (dataclasses.replace(c, source_file=relative(c.source_file)) for c in record.components),
    key=lambda c: c.path,
)
catalog = model.Catalog(providers=(record.provider,), components=tuple(components))
out.write_text(model.dumps(catalog) + "\\n", encoding="utf-8")
for failure in record.failures:
    print(f"read statically: {failure.module}: {failure.error}", file=sys.stderr)
provider = record.provider
print(f"{provider.name} {provider.version}: {len(components)} components", file=sys.stderr)
"""


def find_uv() -> str:
    """The project's ``uv`` (beside this interpreter), else the one on ``PATH``."""
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.exists() else shutil.which("uv")
    if not found:
        sys.exit("error: uv not found (install it in the project's venv: pip install uv)")
    return found


def parse_pin(text: str) -> tuple[str, str]:
    """``slack==9.4.0`` -> ``("apache-airflow-providers-slack", "9.4.0")``."""
    name, equals, version = text.partition("==")
    if not equals or not name.strip() or not version.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not PROVIDER==VERSION")
    name = name.strip().lower().replace("_", "-")
    if not name.startswith(PROVIDER_PREFIX):
        name = PROVIDER_PREFIX + name
    return name, version.strip()


def run(command: Sequence[str], env: dict[str, str] | None = None) -> None:
    shown = ["READ_PROVIDER" if part == READ_PROVIDER else part for part in command]
    print("+", " ".join(shown), file=sys.stderr)
    subprocess.run(command, check=True, env=env)


def build_catalog(
    provider: str, version: str, out: Path, airflow: str, extra: Sequence[str], work: Path
) -> None:
    uv = find_uv()
    venv = work / "venv"
    python = venv / "bin" / "python"
    run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
    requirements = [f"apache-airflow=={airflow}", f"{provider}=={version}", *extra]
    run([uv, "pip", "install", "--quiet", "--python", str(python), *requirements, "-e", str(REPO)])
    home = work / "airflow-home"
    home.mkdir()
    env = {**os.environ, "AIRFLOW_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    run([str(python), "-c", READ_PROVIDER, provider, str(out.resolve())], env=env)
    # What Airflow distributions the venv held, so a rebuild can pin the same.
    listing = subprocess.run(
        [uv, "pip", "list", "--python", str(python)], check=True, capture_output=True, text=True
    )
    for line in listing.stdout.splitlines():
        if line.startswith("apache-airflow"):
            print("  " + " ".join(line.split()), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build the catalog.json of one pinned provider release in a temporary venv."
    )
    parser.add_argument("pin", type=parse_pin, metavar="PROVIDER==VERSION")
    parser.add_argument("out", type=Path, metavar="OUT.json")
    parser.add_argument("--airflow", default=AIRFLOW, help=f"default: {AIRFLOW}")
    parser.add_argument(
        "--with",
        dest="extra",
        action="append",
        default=[],
        metavar="REQUIREMENT",
        help="one more pinned requirement for the venv; repeatable",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    provider, version = args.pin
    args.out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="provider-catalog-"))
    try:
        build_catalog(provider, version, args.out, args.airflow, args.extra, work)
    except subprocess.CalledProcessError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
