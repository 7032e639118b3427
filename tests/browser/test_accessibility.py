"""axe-core (installed by ``npm ci`` from package.json) finds no serious or critical violation
in what the extension renders on the catalog page, a component page and a hook page, in every
theme; and the filter's controls are labelled and reachable by keyboard.

What the extension renders is every element with an ``etl-`` class and what it holds. What axe
finds elsewhere is the theme's, printed (``-s``) but not failed on: the extension styles only
its own classes, so it cannot mend it (Read the Docs colours literals and links with too
little contrast or alone, pydata's navigation toggles are unnamed ``<summary>``s)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from browser.demo_site import CATALOG, COMPONENT, HOOK, REPO, open_page

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
#: The impacts that fail the test; minor and moderate ones are printed with -s.
BLOCKING = {"serious", "critical"}
#: axe's violations, with the nodes of each that are the extension's own (inside an element
#: with an ``etl-`` class).
RUN_AXE = """
const done = arguments[arguments.length - 1];
const own = (target) => document.querySelector(target).closest("[class*='etl-']");
axe.run(document, {resultTypes: ["violations"]})
  .then((results) => done(results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    own: v.nodes.filter((n) => n.target.length === 1 && own(n.target[0]))
      .map((n) => n.target.join(" ")),
  }))))
  .catch((error) => done([{id: "axe-error", impact: "critical", help: String(error),
                           targets: [], own: ["(axe failed)"]}]));
"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"needs axe-core at {AXE}: run `npm ci`")
    return AXE.read_text(encoding="utf-8")


def violations(browser: WebDriver, axe_source: str) -> list[dict[str, object]]:
    browser.execute_script(axe_source)
    browser.set_script_timeout(60)
    found: list[dict[str, object]] = browser.execute_async_script(RUN_AXE)
    return found


@pytest.mark.browser
@pytest.mark.parametrize("page", [CATALOG, COMPONENT, HOOK])
def test_axe_finds_no_serious_violation(
    browser: WebDriver, server: str, theme: str, page: str, axe_source: str
) -> None:
    open_page(browser, f"{server}/{theme}/{page}")
    found = violations(browser, axe_source)
    for violation in found:
        print(theme, page, violation)
    assert [v for v in found if v["impact"] in BLOCKING and v["own"]] == []


@pytest.mark.browser
def test_the_filter_is_labelled_and_works_by_keyboard(
    browser: WebDriver, server: str, rtd: str
) -> None:
    open_page(browser, f"{server}/{rtd}/{CATALOG}")
    box = browser.find_element(By.CSS_SELECTOR, ".etl-catalog input.etl-filter-input")
    label = browser.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']")
    assert label.text == "Filter"
    count = browser.find_element(By.ID, box.get_attribute("aria-describedby"))
    assert count.get_attribute("role") == "status"
    group = browser.find_element(By.CSS_SELECTOR, ".etl-catalog [role=group]")
    assert browser.find_element(By.ID, group.get_attribute("aria-labelledby")).text == "Kind"
    # Tab from the box reaches the first chip; Space presses it.
    box.send_keys(Keys.TAB)
    first = browser.switch_to.active_element
    assert first.get_attribute("class") == "etl-chip"
    first.send_keys(Keys.SPACE)
    assert first.get_attribute("aria-pressed") == "true"


@pytest.mark.browser
@pytest.mark.parametrize("page", [COMPONENT, HOOK])
def test_wide_code_on_component_pages_can_be_scrolled_from_the_keyboard(
    browser: WebDriver, server: str, theme: str, page: str, axe_source: str
) -> None:
    """Docstring code wider than the theme's column scrolls; it gets a tab stop, so axe
    finds no scrollable region that the keyboard cannot reach (alabaster scrolls the
    ObjectStoreHook's URL scheme), and nothing that does not scroll gets one."""
    open_page(browser, f"{server}/{theme}/{page}")
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return document.readyState") == "complete"
    )
    found = violations(browser, axe_source)
    assert [v for v in found if v["id"] == "scrollable-region-focusable"] == []
    stops = browser.execute_script(
        "return [...document.querySelectorAll('div[class*=highlight] > pre')].map("
        "(pre) => [pre.scrollWidth > pre.clientWidth, pre.getAttribute('tabindex')])"
    )
    assert stops and all((tab == "0") == wide for wide, tab in stops)
