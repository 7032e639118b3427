"""Regenerate the screenshots in the project's docs (docs/_static/screenshots/): the demo site's
catalog page, filtered, and a component page's parameters, in the Read the Docs theme at
1400 px and at 400 px.

The demo is built in a temporary copy (it writes its reference pages into its source folder),
served on localhost and photographed with headless Chromium, as the browser tests do::

    AIRFLOW_HOME=/tmp/ah .venv/bin/python scripts/screenshots.py [--theme furo] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser.chromium import serve, start_chromium  # noqa: E402
from browser.demo_site import CATALOG, COMPONENT, DemoSites, open_page  # noqa: E402

#: (file name, page and query string, width, height, what to scroll into view).
SHOTS = (
    ("catalog-filter.png", f"{CATALOG}?q=archive", 1400, 760, ""),
    ("catalog-phone.png", CATALOG, 400, 900, "table.etl-catalog-table"),
    ("parameters.png", COMPONENT, 1400, 900, ".etl-rubric-parameters"),
    ("parameters-phone.png", COMPONENT, 400, 900, ".etl-rubric-parameters"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--theme", default="sphinx_rtd_theme")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "_static" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="etl-screenshots-") as tmp:
        sites = DemoSites(Path(tmp))
        sites.build(args.theme)
        driver = start_chromium(Path(tmp) / "profile")
        try:
            with serve(sites.root) as url:
                for name, page, width, height, anchor in SHOTS:
                    open_page(driver, f"{url}/{args.theme}/{page}", width, height)
                    if anchor:
                        driver.execute_script(
                            "document.querySelector(arguments[0]).scrollIntoView()", anchor
                        )
                    driver.save_screenshot(str(args.out / name))
                    print(args.out / name)
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
