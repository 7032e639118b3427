"""The demo's pages read at 1400 px and at 400 px in every theme: no table of the extension's
scrolls sideways, parameter descriptions keep their width, and the relation links lead where
they say. Screenshots of the catalog and a component page go to the test's tmp folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from browser.chromium import WAIT_SECONDS
from browser.demo_site import CATALOG, COMPONENT, HOOK, open_page

#: Pages with the extension's tables and lists: catalogs, the reference index, a provider page,
#: component pages, the DAG index and a DAG page, the agreements index.
PAGES = (
    CATALOG,
    COMPONENT,
    HOOK,
    "reference/index.html",
    "reference/acme-platform/index.html",
    "reference/dags/index.html",
    "reference/dags/fulfilment_order_archive.html",
    "reference/dags/sales_order_intake.html",
    "reference/dags/assets.html",
    "agreements.html",
)
#: What the extension renders that must fit its column.
OWN = (
    ".etl-filter, dl.etl-parameters, table.etl-catalog-table, table.etl-owners, table.etl-dags,"
    " table.etl-dag-tasks, table.etl-agreement-index, table.etl-coverage"
)
#: Each element of the extension's that is wider than its container (a table: than the box
#: the theme wraps it in, which would scroll), or whose own content overflows it.
OVERFLOWS = """
const found = [];
for (const own of document.querySelectorAll(arguments[0])) {
  if (!own.getClientRects().length) continue;
  const box = own.parentElement;
  const width = own.getBoundingClientRect().width;
  const outside = own.getBoundingClientRect().right - box.getBoundingClientRect().right;
  if (width > box.clientWidth + 1 || outside > 1 || own.scrollWidth > own.clientWidth + 1) {
    found.push([own.tagName + "." + own.className, Math.round(width), box.clientWidth,
                own.scrollWidth, own.clientWidth]);
  }
}
return found;
"""
WIDTHS = (1400, 400)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_of_the_extensions_scrolls_sideways(
    browser: WebDriver, server: str, theme: str, width: int
) -> None:
    present = set()
    for page in PAGES:
        open_page(browser, f"{server}/{theme}/{page}", width=width)
        present.update(
            f"{element.tag_name}.{cls}"
            for element in browser.find_elements(By.CSS_SELECTOR, OWN)
            for cls in (element.get_attribute("class") or "").split()
        )
        assert browser.execute_script(OVERFLOWS, OWN) == [], f"{page} at {width} px"
    assert {"dl.etl-parameters", "table.etl-catalog-table", "table.etl-dags"} <= present


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_parameter_descriptions_have_the_full_width(
    browser: WebDriver, server: str, theme: str, width: int
) -> None:
    """A description is about as wide as the list: no column squeezes it."""
    open_page(browser, f"{server}/{theme}/{COMPONENT}", width=width)
    widths = browser.execute_script(
        "const dl = document.querySelector('dl.etl-parameters');"
        "return [dl.clientWidth, ...[...dl.querySelectorAll(':scope > dd')]"
        ".map((dd) => dd.clientWidth)];"
    )
    assert len(widths) > 3
    assert min(widths[1:]) >= 0.85 * widths[0], widths


#: Each name of a catalog's import paths (``airflow``, ``providers`` ... ``HttpHook``) that is
#: broken across lines although it would fit its cell on one: ``[path, name, width, room]``.
NAMES_BROKEN = """
const broken = [];
for (const code of document.querySelectorAll("table.etl-catalog-table td:first-child code")) {
  const cell = code.closest("td");
  const style = getComputedStyle(cell);
  const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const texts = [];
  const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) texts.push(text);
  // A name starts in the text node after a <wbr>, and ends in the one before it.
  const at = (offset, end) => {
    for (const text of texts) {
      if (offset < text.length || (end && offset === text.length)) return [text, offset];
      offset -= text.length;
    }
    return [texts[texts.length - 1], texts[texts.length - 1].length];
  };
  const path = code.textContent;
  if (!path.includes(".")) continue;
  let start = 0;
  const names = path.split(".");
  for (const [index, name] of names.entries()) {
    const range = document.createRange();
    range.setStart(...at(start, false));
    range.setEnd(...at(start + name.length, true));
    start += name.length + 1;
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size < 2) continue;
    const probe = code.cloneNode(false);
    Object.assign(probe.style, {position: "absolute", visibility: "hidden", whiteSpace: "nowrap"});
    // The name with the dot that ends its line, or the code's padding and border after the
    // last name (the probe has both sides'), and a character to spare for rounding.
    probe.textContent = index < names.length - 1 ? `${name}.` : name;
    cell.appendChild(probe);
    const width = probe.getBoundingClientRect().width;
    probe.textContent = "M";
    const spare = probe.getBoundingClientRect().width;
    probe.remove();
    if (width + spare <= room) broken.push([path, name, Math.round(width), Math.round(room)]);
  }
}
return broken;
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_import_paths_wrap_between_names(
    browser: WebDriver, server: str, theme: str, width: int
) -> None:
    """A catalog's import path wraps after a dot, not inside a name that fits its cell."""
    open_page(browser, f"{server}/{theme}/{CATALOG}", width=width)
    paths = browser.find_elements(By.CSS_SELECTOR, "table.etl-catalog-table td:first-child code")
    assert any("." in path.get_attribute("textContent") for path in paths)
    assert browser.execute_script(NAMES_BROKEN) == []


@pytest.mark.browser
def test_screenshots(browser: WebDriver, server: str, theme: str, screenshots: Path) -> None:
    """The catalog page and a component page as a person sees them at 1400 px."""
    screenshots.mkdir(parents=True, exist_ok=True)
    for name, page in (("catalog", CATALOG), ("component", COMPONENT)):
        open_page(browser, f"{server}/{theme}/{page}", width=1400, height=1000)
        path = screenshots / f"{theme}-{name}.png"
        assert browser.save_screenshot(str(path)), path
        assert path.stat().st_size > 10_000


@pytest.mark.browser
def test_a_relation_link_leads_to_the_hook(browser: WebDriver, server: str, rtd: str) -> None:
    open_page(browser, f"{server}/{rtd}/{COMPONENT}")
    relations = browser.find_element(By.CSS_SELECTOR, ".etl-rubric-relations")
    link = relations.find_element(By.XPATH, "following::a[contains(., 'ObjectStoreHook')]")
    link.click()
    assert browser.current_url.startswith(f"{server}/{rtd}/{HOOK}#")
    anchor = browser.current_url.partition("#")[2]
    assert anchor == "acme_platform.hooks.object_store.ObjectStoreHook"
    assert browser.find_element(By.ID, anchor).is_displayed()
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("ObjectStoreHook")


@pytest.mark.browser
def test_the_import_line_has_a_copy_button(browser: WebDriver, server: str, rtd: str) -> None:
    """sphinx-copybutton puts a button on every code block, the import line among them; it
    shows when the keyboard reaches it."""
    open_page(browser, f"{server}/{rtd}/{COMPONENT}")
    block = browser.find_element(By.XPATH, "//pre[contains(., 'from acme_platform')]")
    button = block.find_element(By.XPATH, "following-sibling::button[@class]")
    assert "copybtn" in button.get_attribute("class")
    browser.execute_script("arguments[0].focus()", button)
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.execute_script("return getComputedStyle(arguments[0]).opacity", button) == "1"
    )


#: Where each of a DAG graph's nodes links (a PNG's image map or an SVG's anchors), resolved.
GRAPH_LINKS = """
const links = [...document.querySelectorAll("map area[href]")].map((a) => a.href);
for (const object of document.querySelectorAll("object[type='image/svg+xml']")) {
  const svg = object.contentDocument;
  if (!svg) continue;
  for (const a of svg.querySelectorAll("a")) {
    const href = a.getAttribute("href") || a.getAttribute("xlink:href");
    links.push(new URL(href, object.data).href);
  }
}
return links;
"""


@pytest.mark.browser
def test_dag_graph_nodes_lead_to_their_operators_pages(
    browser: WebDriver, server: str, rtd: str
) -> None:
    """Each step of the demo's task-group DAG is a node that links its operator's page."""
    open_page(browser, f"{server}/{rtd}/reference/dags/sales_order_intake.html")
    links = sorted(set(browser.execute_script(GRAPH_LINKS)))
    names = sorted(link.rsplit("/", 1)[-1] for link in links)
    assert names == [
        "ArchiveIngestedEntitiesOperator.html",
        "SqliteToPostgresOperator.html",
        "WaitForBatchOperator.html",
    ]
    for link in links:
        browser.get(link)
        heading = browser.find_element(By.CSS_SELECTOR, "h1").text
        assert heading.startswith(link.rsplit("/", 1)[-1].removesuffix(".html")), link
