"""The version switcher and old-version banner, in headless Chromium on a published tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.chromium import WAIT_SECONDS, serve, start_chromium
from bs4 import BeautifulSoup
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_publish import publish_releases


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_releases(tmp_path_factory.mktemp("switcher"))[0]


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def open_page(browser: WebDriver, url: str) -> None:
    """Load ``url`` and wait until the script has fetched versions.json and rendered."""
    browser.get(url)
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.execute_script("return document.documentElement.dataset.etlVersionsReady")
    )


def banners(browser: WebDriver) -> list[str]:
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".etl-version-banner")]


def switch_to(browser: WebDriver, version: str) -> None:
    previous = browser.current_url
    Select(
        browser.find_element(By.CSS_SELECTOR, ".etl-version-switcher select")
    ).select_by_visible_text(version)
    WebDriverWait(browser, WAIT_SECONDS).until(lambda b: b.current_url != previous)


def test_pages_name_their_version_and_the_manifest(site: Path) -> None:
    soup = BeautifulSoup((site / "1.3.0" / "guide.html").read_text(), "html.parser")
    assert soup.find("meta", attrs={"name": "etl-version"})["content"] == "1.3.0"
    assert soup.find("meta", attrs={"name": "etl-versions-url"})["content"] == "../versions.json"
    assert soup.find("script", src=lambda s: s and "etl-versions.js" in s)
    assert (site / "1.3.0" / "_static" / "etl-versions.css").is_file()


@pytest.mark.browser
def test_old_version_shows_a_banner_naming_the_latest(browser: WebDriver, server: str) -> None:
    open_page(browser, f"{server}/1.3.0/index.html")
    assert banners(browser) == ["You are viewing an old version (1.3.0). The latest is 1.4.0."]


@pytest.mark.browser
def test_switching_to_latest_lands_on_it_without_banner(browser: WebDriver, server: str) -> None:
    open_page(browser, f"{server}/1.3.0/index.html")
    switch_to(browser, "1.4.0 (latest)")
    open_page(browser, browser.current_url)
    assert browser.current_url == f"{server}/1.4.0/index.html"
    assert banners(browser) == []


@pytest.mark.browser
def test_switching_keeps_the_page(browser: WebDriver, server: str) -> None:
    open_page(browser, f"{server}/1.4.0/guide.html")
    switch_to(browser, "1.3.0")
    assert browser.current_url == f"{server}/1.3.0/guide.html"


@pytest.mark.browser
def test_switching_from_a_removed_page_falls_back_to_the_front_page(
    browser: WebDriver, server: str
) -> None:
    open_page(browser, f"{server}/1.3.0/retired.html")
    switch_to(browser, "1.4.0 (latest)")
    assert browser.current_url == f"{server}/1.4.0/"


@pytest.mark.browser
def test_latest_folder_shows_no_banner(browser: WebDriver, server: str) -> None:
    open_page(browser, f"{server}/latest/guide.html")
    assert banners(browser) == []
