"""The demo site, built once per theme in a copy of ``demo/`` and ``examples/`` (the demo writes
its reference pages into its source folder), and how the tests open its pages."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from browser.chromium import WAIT_SECONDS

REPO = Path(__file__).parents[2]
#: The themes engineers read the site in, by ``html_theme``; the first is the demo's own.
THEMES = ("sphinx_rtd_theme", "furo", "pydata_sphinx_theme", "alabaster")

#: Pages of the demo the tests open.
CATALOG = "catalog.html"
COMPONENT = "reference/acme-platform/ArchiveIngestedEntitiesOperator.html"
HOOK = "reference/acme-platform/ObjectStoreHook.html"


class DemoSites:
    """Builds the demo in a theme the first time a test asks for it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache = root / "etl-cache"
        self.built: dict[str, Path] = {}
        shutil.copytree(
            REPO / "demo", root / "demo", ignore=shutil.ignore_patterns("_build", "reference")
        )
        shutil.copytree(
            REPO / "examples", root / "examples", ignore=shutil.ignore_patterns("__pycache__")
        )

    def build(self, theme: str) -> Path:
        if theme in self.built:
            return self.built[theme]
        if importlib.util.find_spec(theme) is None:
            pytest.skip(f"the {theme} theme is not installed")
        out = self.root / theme
        # One introspection cache for every theme: only the first build reads the code.
        command = [sys.executable, "-m", "sphinx", "-q", "-b", "html"]
        command += ["-D", f"html_theme={theme}", "-D", f"etl_cache_dir={self.cache}"]
        command += ["-d", str(self.root / "doctrees" / theme), str(self.root / "demo"), str(out)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-4000:]
        self.built[theme] = out
        return out


def open_page(browser: WebDriver, url: str, width: int = 1400, height: int = 1000) -> None:
    """Load ``url`` at a window size and wait for the page's scripts to have run."""
    browser.set_window_size(width, height)
    browser.get(url)
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.execute_script(
            "return document.readyState === 'complete' && (!document.querySelector("
            "'.etl-catalog tr.etl-row') || document.documentElement.dataset.etlCatalogReady)"
        )
    )
