"""Fixtures of the browser tests: the demo built per theme (see :mod:`browser.demo_site`), served on
localhost, and one headless Chromium for the session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from browser.chromium import serve, start_chromium
from browser.demo_site import THEMES, DemoSites


@pytest.fixture(scope="session")
def demo_sites(tmp_path_factory: pytest.TempPathFactory) -> DemoSites:
    return DemoSites(tmp_path_factory.mktemp("demo-sites"))


@pytest.fixture(scope="session")
def server(demo_sites: DemoSites) -> Iterator[str]:
    with serve(demo_sites.root) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture(params=THEMES)
def theme(request: pytest.FixtureRequest, demo_sites: DemoSites) -> str:
    demo_sites.build(request.param)
    return str(request.param)


@pytest.fixture
def rtd(demo_sites: DemoSites) -> str:
    """The demo's own theme, where the behaviour tests run."""
    demo_sites.build(THEMES[0])
    return THEMES[0]


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "screenshots"
