"""The catalog filter on DAG catalogs, in headless Chromium: the demo's DAG index (typing, owner
and tag chips, the query string), a page with an operator catalog then a DAG catalog (each its
own facets and numbered state), and the demo's operator catalog, which filters as before."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from browser.chromium import WAIT_SECONDS
from browser.demo_site import CATALOG, REPO, DemoSites, open_page
from browser.test_catalog_filter import (
    ARCHIVE,
    HOOKS,
    IN_HOUSE,
    catalog,
    chip,
    count,
    filter_box,
    row_names,
    type_into,
    visible_rows,
)

#: The demo's DAG index: its one catalog.
DAG_INDEX = "reference/dags/index.html"
DAGS = 0
SALES_DATA = ["daily_entity_archive", "sales_order_intake", "sales_order_reporting"]


def visible_dags(browser: WebDriver, index: int = DAGS) -> list[str]:
    return [row.find_element(By.CSS_SELECTOR, "td a").text for row in visible_rows(browser, index)]


def facet_titles(browser: WebDriver, index: int) -> list[str]:
    labels = catalog(browser, index).find_elements(By.CSS_SELECTOR, ".etl-filter-label")
    return [label.text for label in labels]


def pressed(button: WebElement) -> bool:
    return button.get_attribute("aria-pressed") == "true"


@pytest.fixture
def dag_index(browser: WebDriver, server: str, rtd: str) -> str:
    url = f"{server}/{rtd}/{DAG_INDEX}"
    open_page(browser, url)
    return url


@pytest.fixture(scope="module")
def both_page(demo_sites: DemoSites) -> str:
    """The dag-catalog test root, built beside the demo (the server serves both); the path of
    its page with an operator catalog and then a DAG catalog."""
    src = demo_sites.root / "dag-catalog-src"
    shutil.copytree(REPO / "tests" / "roots" / "test-dag-catalog", src)
    command = [sys.executable, "-m", "sphinx", "-q", "-b", "html"]
    command += ["-D", f"etl_cache_dir={demo_sites.cache}", str(src)]
    command.append(str(demo_sites.root / "dag-catalog"))
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return "dag-catalog/both.html"


@pytest.mark.browser
def test_the_dag_catalog_offers_owner_and_tag_chips(browser: WebDriver, dag_index: str) -> None:
    assert facet_titles(browser, DAGS) == ["Filter", "Owner", "Tag"]
    assert count(browser, DAGS) == "5 of 5"


@pytest.mark.browser
def test_typing_narrows_the_dags_and_the_count(browser: WebDriver, dag_index: str) -> None:
    type_into(filter_box(browser, DAGS), "sales order")
    assert visible_dags(browser) == ["sales_order_intake", "sales_order_reporting"]
    assert count(browser, DAGS) == "2 of 5"


@pytest.mark.browser
def test_an_owner_chip_narrows_to_that_teams_dags(browser: WebDriver, dag_index: str) -> None:
    owner = chip(browser, DAGS, "sales-data")
    owner.click()
    assert pressed(owner)
    assert visible_dags(browser) == SALES_DATA
    owner.click()
    assert len(visible_dags(browser)) == 5


@pytest.mark.browser
def test_a_tag_chip_matches_a_dag_by_any_of_its_tags(browser: WebDriver, dag_index: str) -> None:
    """legacy_customer_export is tagged acme, crm and legacy: either chip finds it."""
    for tag in ("crm", "legacy"):
        chip(browser, DAGS, tag).click()
        assert visible_dags(browser) == ["legacy_customer_export"]
        chip(browser, DAGS, tag).click()
    # Chips of one facet add up; an owner and a tag narrow.
    chip(browser, DAGS, "legacy").click()
    chip(browser, DAGS, "fulfilment").click()
    assert visible_dags(browser) == ["fulfilment_order_archive", "legacy_customer_export"]
    chip(browser, DAGS, "sales-data").click()
    assert visible_dags(browser) == []
    assert count(browser, DAGS) == "0 of 5"


@pytest.mark.browser
def test_the_query_string_keeps_the_filter_across_a_reload(
    browser: WebDriver, dag_index: str
) -> None:
    type_into(filter_box(browser, DAGS), "order")
    chip(browser, DAGS, "sales-data").click()
    chip(browser, DAGS, "sales").click()
    WebDriverWait(browser, WAIT_SECONDS).until(lambda b: "tag=" in b.current_url)
    assert browser.current_url == f"{dag_index}?q=order&owner=sales-data&tag=sales"

    browser.refresh()
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.execute_script("return document.documentElement.dataset.etlCatalogReady")
    )
    assert filter_box(browser, DAGS).get_attribute("value") == "order"
    assert pressed(chip(browser, DAGS, "sales-data")) and pressed(chip(browser, DAGS, "sales"))
    assert visible_dags(browser) == ["sales_order_intake", "sales_order_reporting"]


@pytest.mark.browser
def test_a_dag_catalog_after_an_operator_catalog_has_its_own_facets_and_state(
    browser: WebDriver, server: str, both_page: str
) -> None:
    components, dags = 0, 1
    url = f"{server}/{both_page}"
    open_page(browser, f"{url}?conn=acme-metrics&owner2=sales-data&tag2=finance-reports")
    assert facet_titles(browser, components) == ["Filter", "Connection"]
    assert facet_titles(browser, dags) == ["Filter", "Owner", "Tag"]
    assert row_names(visible_rows(browser, components)) == ["MetricsHook"]
    # finance_close: owned by finance and, for one of its tasks, by sales-data.
    assert visible_dags(browser, dags) == ["finance_close"]

    chip(browser, dags, "finance-reports").click()
    assert len(visible_dags(browser, dags)) == 4
    WebDriverWait(browser, WAIT_SECONDS).until(lambda b: "tag2" not in b.current_url)
    assert browser.current_url == f"{url}?conn=acme-metrics&owner2=sales-data"


@pytest.mark.browser
def test_the_operator_catalog_still_filters_by_provider(
    browser: WebDriver, server: str, rtd: str
) -> None:
    open_page(browser, f"{server}/{rtd}/{CATALOG}")
    assert "Provider" in facet_titles(browser, HOOKS)
    type_into(filter_box(browser, IN_HOUSE), "archive")
    assert row_names(visible_rows(browser, IN_HOUSE)) == ARCHIVE
    chip(browser, HOOKS, "http").click()
    rows = visible_rows(browser, HOOKS)
    assert rows and all("etl-owner-http" in str(row.get_attribute("class")) for row in rows)
