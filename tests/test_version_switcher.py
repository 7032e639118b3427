"""The version switcher and old-version banner, in headless Chromium on a published tree."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_publish import publish_releases

# CI runners may have Chrome elsewhere (GitHub's ubuntu images: google-chrome, $CHROMEWEBDRIVER).
CHROMIUM = Path(os.environ.get("ETL_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("ETL_CHROMEDRIVER", "/usr/bin/chromedriver"))
WAIT_SECONDS = 15


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_releases(tmp_path_factory.mktemp("switcher"))[0]


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip(f"needs Chromium at {CHROMIUM} and chromedriver at {CHROMEDRIVER}")

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
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
