"""The import floor: import every module discovery lists, in this one fresh process.

Lists the owners a site's ``etl_providers`` / ``etl_packages`` select and the modules (and
listed classes' modules) of each, as the extension's discovery does, then imports them all in
order. A cold build cannot be faster than this, whatever introspection does with the classes
afterwards. Writes counts and timings as JSON. Usage (in the venv to measure)::

    python benchmarks/import_floor.py --providers all --packages acme_platform --json floor.json
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import time
import warnings
from pathlib import Path


def import_quietly(name: str) -> bool:
    """Import ``name`` as the extension does: warnings and stdout swallowed, any failure
    (``sys.exit()`` included) counted instead of raised."""
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            importlib.import_module(name)
    except KeyboardInterrupt:
        raise
    except BaseException:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", nargs="+", default=["all"])
    parser.add_argument("--packages", nargs="*", default=[])
    parser.add_argument("--json", type=Path, required=True, help="where to write the results")
    args = parser.parse_args()

    started = time.perf_counter()
    from sphinxext_etl.collect import discovery, listing
    from sphinxext_etl.config import EtlConfig

    providers = "all" if args.providers == ["all"] else list(args.providers)
    config = EtlConfig(providers=providers, packages=list(args.packages))
    owners = discovery.owners(config)
    modules: list[str] = []
    for owner in owners:
        found = listing.discover(owner, skip_private=config.skip_private)
        modules.extend(module for module, *_ in found.modules)
        modules.extend(path.rpartition(".")[0] for path, _ in found.classes)
    modules = list(dict.fromkeys(modules))
    listed = time.perf_counter()

    failed = [name for name in modules if not import_quietly(name)]
    imported = time.perf_counter()

    args.json.write_text(
        json.dumps(
            {
                "owners": len(owners),
                "modules": len(modules),
                "failed": len(failed),
                "failed_modules": failed,
                "discovery_seconds": round(listed - started, 3),
                "import_seconds": round(imported - listed, 3),
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
