"""The catalog filter on the demo's catalog page, in headless Chromium: the search box, the
chips, the count, the query string and the "/" shortcut; and what the page is without it."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from browser.chromium import WAIT_SECONDS
from browser.demo_site import CATALOG, COMPONENT, THEMES, DemoSites, open_page

#: The first catalog of the demo's catalog page: acme_platform's components, by kind.
IN_HOUSE = 0
#: The second: every hook, by provider, with connection types.
HOOKS = 1
#: The in-house rows that say "archive" (a name or a summary), in table order.
ARCHIVE = ["ObjectStoreHook", "ArchiveIngestedEntitiesOperator", "EntityArchivedSensor"]


def catalog(browser: WebDriver, index: int) -> WebElement:
    return browser.find_elements(By.CSS_SELECTOR, ".etl-catalog")[index]


def filter_box(browser: WebDriver, index: int) -> WebElement:
    return catalog(browser, index).find_element(By.CSS_SELECTOR, "input.etl-filter-input")


def visible_rows(browser: WebDriver, index: int) -> list[WebElement]:
    rows = catalog(browser, index).find_elements(By.CSS_SELECTOR, "tr.etl-row")
    return [row for row in rows if row.get_attribute("hidden") is None]


def row_names(rows: list[WebElement]) -> list[str]:
    return [row.find_element(By.CSS_SELECTOR, "td code").text for row in rows]


def count(browser: WebDriver, index: int) -> str:
    return catalog(browser, index).find_element(By.CSS_SELECTOR, ".etl-filter-count").text


def chip(browser: WebDriver, index: int, label: str) -> WebElement:
    for button in catalog(browser, index).find_elements(By.CSS_SELECTOR, "button.etl-chip"):
        if button.text.split()[0] == label:
            return button
    raise AssertionError(f"no chip {label!r}")


def shows_first_then_all(browser: WebDriver, matching: list[WebElement], total: int) -> WebElement:
    """The in-house catalog shows the first three of ``matching`` (the limit the tests set),
    counts them all, and its button shows them all; the button, for more checks."""
    assert visible_rows(browser, IN_HOUSE) == matching[:3]
    assert count(browser, IN_HOUSE) == f"{len(matching)} of {total}"
    more = catalog(browser, IN_HOUSE).find_element(By.CSS_SELECTOR, "button.etl-filter-more")
    assert more.text == f"Show all {len(matching)} matches"
    more.click()
    assert visible_rows(browser, IN_HOUSE) == matching
    return more


def type_into(box: WebElement, text: str) -> None:
    box.clear()
    box.send_keys(text)


@pytest.fixture
def page(browser: WebDriver, server: str, rtd: str) -> str:
    url = f"{server}/{rtd}/{CATALOG}"
    open_page(browser, url)
    return url


@pytest.mark.browser
def test_typing_narrows_the_rows_and_the_count(browser: WebDriver, page: str) -> None:
    total = len(visible_rows(browser, IN_HOUSE))
    type_into(filter_box(browser, IN_HOUSE), "archive")
    shown = visible_rows(browser, IN_HOUSE)
    assert row_names(shown) == ARCHIVE
    assert count(browser, IN_HOUSE) == f"3 of {total}"
    for row in catalog(browser, IN_HOUSE).find_elements(By.CSS_SELECTOR, "tr.etl-row"):
        assert (row in shown) == ("archive" in row.get_attribute("textContent").lower())


@pytest.mark.browser
def test_every_word_must_match_and_separators_are_alike(browser: WebDriver, page: str) -> None:
    """Hyphens, underscores and spaces are alike: ``object_store`` finds the path
    ``acme_platform.hooks.object_store`` whichever way it is typed."""
    found = {}
    for text in ("object_store", "object-store", "object store", "store object"):
        type_into(filter_box(browser, IN_HOUSE), text)
        found[text] = row_names(visible_rows(browser, IN_HOUSE))
    assert "ObjectStoreHook" in found["object_store"]
    assert len(set(map(tuple, found.values()))) == 1


@pytest.mark.browser
def test_nothing_matching_hides_the_groups_and_says_so(browser: WebDriver, page: str) -> None:
    type_into(filter_box(browser, IN_HOUSE), "no such component")
    box = catalog(browser, IN_HOUSE)
    assert visible_rows(browser, IN_HOUSE) == []
    assert count(browser, IN_HOUSE).startswith("0 of ")
    assert box.find_element(By.CSS_SELECTOR, ".etl-filter-empty").is_displayed()
    assert not [r for r in box.find_elements(By.CSS_SELECTOR, "p.rubric") if r.is_displayed()]
    filter_box(browser, IN_HOUSE).clear()
    filter_box(browser, IN_HOUSE).send_keys(" ")
    assert not box.find_element(By.CSS_SELECTOR, ".etl-filter-empty").is_displayed()


@pytest.mark.browser
def test_while_filtering_the_first_rows_show_then_all_on_request(
    browser: WebDriver, page: str
) -> None:
    """A long catalog shows its first matches while the reader types (the limit is 50; the
    page may lower it), and a button shows them all."""
    browser.execute_script("document.documentElement.dataset.etlCatalogLimit = '3'")
    rows = catalog(browser, IN_HOUSE).find_elements(By.CSS_SELECTOR, "tr.etl-row")
    matching = [row for row in rows if "o" in row.get_attribute("textContent").lower()]
    type_into(filter_box(browser, IN_HOUSE), "o")
    more = shows_first_then_all(browser, matching, len(rows))
    assert not more.is_displayed()


@pytest.mark.browser
def test_a_long_catalog_starts_with_its_first_rows(
    browser: WebDriver, server: str, rtd: str
) -> None:
    """A catalog longer than the collapse threshold (500 rows; the page may set another)
    starts with its first rows and the button, so the first keystroke lays out few rows."""
    # Set before the filter's script runs, which is after the document is parsed.
    settings = (
        "document.addEventListener('readystatechange', () => Object.assign("
        "document.documentElement.dataset, {etlCatalogLimit: '3', etlCatalogCollapse: '5'}))"
    )
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": settings})
    try:
        open_page(browser, f"{server}/{rtd}/{CATALOG}")
        rows = catalog(browser, IN_HOUSE).find_elements(By.CSS_SELECTOR, "tr.etl-row")
        assert len(rows) > 5
        shows_first_then_all(browser, rows, len(rows))
    finally:
        browser.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )


@pytest.mark.browser
def test_a_kind_chip_toggles(browser: WebDriver, page: str) -> None:
    total = len(visible_rows(browser, IN_HOUSE))
    hooks = chip(browser, IN_HOUSE, "hook")
    hooks.click()
    assert hooks.get_attribute("aria-pressed") == "true"
    assert row_names(visible_rows(browser, IN_HOUSE)) == ["MetricsHook", "ObjectStoreHook"]
    hooks.click()
    assert hooks.get_attribute("aria-pressed") == "false"
    assert len(visible_rows(browser, IN_HOUSE)) == total


@pytest.mark.browser
def test_chips_of_one_facet_add_up_and_of_two_facets_narrow(browser: WebDriver, page: str) -> None:
    chip(browser, IN_HOUSE, "hook").click()
    chip(browser, IN_HOUSE, "sensor").click()
    assert row_names(visible_rows(browser, IN_HOUSE)) == [
        "MetricsHook",
        "ObjectStoreHook",
        "EntityArchivedSensor",
    ]
    chip(browser, IN_HOUSE, "templated").click()
    expected = [
        row
        for row in catalog(browser, IN_HOUSE).find_elements(By.CSS_SELECTOR, "tr.etl-row")
        if "etl-is-templated" in (classes := row.get_attribute("class").split())
        and {"etl-kind-hook", "etl-kind-sensor"} & set(classes)
    ]
    assert expected and visible_rows(browser, IN_HOUSE) == expected


@pytest.mark.browser
def test_provider_and_connection_chips(browser: WebDriver, page: str) -> None:
    chip(browser, HOOKS, "http").click()
    rows = visible_rows(browser, HOOKS)
    assert rows and all("etl-owner-http" in row.get_attribute("class") for row in rows)
    chip(browser, HOOKS, "http").click()
    chip(browser, HOOKS, "postgres").click()
    rows = visible_rows(browser, HOOKS)
    assert row_names(rows) == ["PostgresHook"]


@pytest.mark.browser
def test_the_filter_goes_into_the_query_string(browser: WebDriver, page: str) -> None:
    type_into(filter_box(browser, IN_HOUSE), "archive")
    chip(browser, IN_HOUSE, "operator").click()
    chip(browser, HOOKS, "http").click()
    WebDriverWait(browser, WAIT_SECONDS).until(lambda b: "owner2=" in b.current_url)
    assert browser.current_url.endswith(f"{CATALOG}?q=archive&kind=operator&owner2=http")


@pytest.mark.browser
def test_a_query_string_restores_the_filter(browser: WebDriver, server: str, rtd: str) -> None:
    open_page(browser, f"{server}/{rtd}/{CATALOG}?q=archive&kind=operator&q2=object")
    assert filter_box(browser, IN_HOUSE).get_attribute("value") == "archive"
    assert chip(browser, IN_HOUSE, "operator").get_attribute("aria-pressed") == "true"
    assert row_names(visible_rows(browser, IN_HOUSE)) == ["ArchiveIngestedEntitiesOperator"]
    assert row_names(visible_rows(browser, HOOKS)) == ["ObjectStoreHook"]
    assert re.fullmatch(r"1 of \d+", count(browser, HOOKS))


@pytest.mark.browser
def test_slash_focuses_the_filter(browser: WebDriver, page: str) -> None:
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    box = filter_box(browser, IN_HOUSE)
    assert browser.switch_to.active_element == box
    assert box.get_attribute("value") == ""
    box.send_keys("metrics")
    assert row_names(visible_rows(browser, IN_HOUSE)) == ["MetricsHook", "CollectMetricsOperator"]


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES, indirect=True)
def test_the_filter_works_in_every_theme(browser: WebDriver, server: str, theme: str) -> None:
    open_page(browser, f"{server}/{theme}/{CATALOG}", width=400)
    type_into(filter_box(browser, IN_HOUSE), "archive")
    assert row_names(visible_rows(browser, IN_HOUSE)) == ARCHIVE


def test_without_javascript_the_catalog_is_complete(demo_sites: DemoSites) -> None:
    """The filter only adds: the HTML has every row, none hidden, each with its facts."""
    soup = BeautifulSoup((demo_sites.build(THEMES[0]) / CATALOG).read_text(), "html.parser")
    rows = soup.select(".etl-catalog table.etl-catalog-table tbody tr")
    assert rows and all("etl-row" in row["class"] for row in rows)
    assert not soup.select(".etl-catalog [hidden]") and not soup.select(".etl-filter")
    archive = next(row for row in rows if "ArchiveIngestedEntitiesOperator" in row.get_text())
    assert {"etl-kind-operator", "etl-owner-acme-platform", "etl-is-in-house"} <= set(
        archive["class"]
    )


def test_the_filter_loads_only_where_a_catalog_is(demo_sites: DemoSites) -> None:
    """Scripts and stylesheets by page content; the version switcher on every page."""
    site = demo_sites.build(THEMES[0])

    def assets(page: str) -> set[str]:
        soup = BeautifulSoup((site / page).read_text(), "html.parser")
        links = [tag.get("src") or tag.get("href") for tag in soup.select("script, link")]
        return {link.rpartition("/")[2].partition("?")[0] for link in links if link}

    catalog_page, component, search = assets(CATALOG), assets(COMPONENT), assets("search.html")
    assert {"etl-catalog.js", "etl-catalog.css", "etl.css"} <= catalog_page
    assert "etl.css" in component and "etl-catalog.js" not in component
    assert not {"etl.css", "etl-catalog.js"} & search
    assert {"etl-versions.js", "etl-versions.css"} <= catalog_page & component & search
