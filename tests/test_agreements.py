"""Conventions and agreements: rendered blocks, the index, the role, listings, duplicates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.util.console import strip_colors

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def html(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def warnings_of(app: SphinxTestApp) -> str:
    return strip_colors(app.warning.getvalue())


def index_ids(table: BeautifulSoup) -> list[str]:
    return [row.find("td").get_text(strip=True) for row in table.select("tbody tr")]


def text_table(text: str, section: str) -> tuple[list[str], list[list[str]]]:
    """The grid table under ``section`` in text-builder output: its lines, and its rows with
    each cell's wrapped lines joined again."""
    lines = text.splitlines()
    start = lines.index(section) + 3
    grid = lines[start : lines.index("", start)]
    rows: list[list[list[str]]] = [[]]
    for line in grid[1:]:
        if line.startswith(("+", "|=")):
            rows.append([])
        else:
            rows[-1].append([cell.strip() for cell in line.split("|")[1:-1]])
    return grid, [
        [" ".join(filter(None, cells)) for cells in zip(*row, strict=True)] for row in rows if row
    ]


def sections(app: SphinxTestApp) -> dict[str, BeautifulSoup]:
    soup = html(app, "listings")
    return {
        s.find("h2").get_text(strip=True).rstrip("¶"): s for s in soup.select("section section")
    }


@pytest.mark.sphinx("html", testroot="agreements")
def test_agreement_renders_as_block_with_anchor_title_metadata_and_body(
    app: SphinxTestApp,
) -> None:
    app.build()
    block = html(app, "agreements").find(id="agreement-PLAT-001")
    assert "etl-agreement" in block["class"]
    assert "etl-status-accepted" in block["class"]
    title = block.select_one(".admonition-title")
    assert title.select_one(".etl-agreement-id").get_text() == "PLAT-001"
    assert title.find("em").get_text() == "thin"
    meta = block.select_one(".etl-agreement-meta").get_text(" ", strip=True)
    for text in ("accepted", "platform-team", "1.0", "dags, design", "operators, rules_pkg"):
        assert text in meta
    assert [
        p.get_text() for p in block.select(".etl-agreement-body > p:not(.etl-agreement-meta)")
    ] == [
        "Logic lives in operators and hooks.",
        "Second paragraph of the body.",
    ]


@pytest.mark.sphinx("html", testroot="agreements")
def test_convention_is_styled_as_convention_and_stylesheet_is_linked(app: SphinxTestApp) -> None:
    app.build()
    soup = html(app, "agreements")
    block = soup.find(id="convention-NAME-001")
    assert "etl-convention" in block["class"]
    assert block.select_one(".etl-agreement-kind").get_text() == "Convention"
    assert soup.find("link", href=lambda h: h and "etl-agreements.css" in h)
    assert (app.outdir / "_static" / "etl-agreements.css").is_file()


@pytest.mark.sphinx("html", testroot="agreements")
def test_index_lists_every_agreement_with_links(app: SphinxTestApp) -> None:
    app.build()
    table = sections(app)["All"].select_one("table.etl-agreement-index")
    assert index_ids(table) == ["DOC-001", "NAME-001", "PLAT-001", "PLAT-002"]
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["ID", "Title", "Kind", "Status", "Owner", "Tags"]
    link = table.find("a", string="Hooks own their connections")
    assert link["href"] == "agreements.html#agreement-PLAT-002"


@pytest.mark.parametrize(
    ("section", "ids"),
    [
        ("Accepted", ["NAME-001", "PLAT-001"]),
        ("Tagged hooks", ["PLAT-002"]),
        ("Owned by the data team", ["PLAT-002"]),
        ("Conventions", ["NAME-001"]),
    ],
)
@pytest.mark.sphinx("html", testroot="agreements")
def test_index_filters(app: SphinxTestApp, section: str, ids: list[str]) -> None:
    app.build()
    assert index_ids(sections(app)[section].select_one("table.etl-agreement-index")) == ids


@pytest.mark.sphinx("html", testroot="agreements")
def test_index_with_no_match_says_so(app: SphinxTestApp) -> None:
    app.build()
    assert "No agreements match." in sections(app)["Nothing"].get_text()


@pytest.mark.sphinx("html", testroot="agreements")
def test_role_links_with_id_and_title(app: SphinxTestApp) -> None:
    app.build()
    links = html(app, "agreements").select("a.reference.internal[href*='#']")
    texts = {a.get_text(): a["href"] for a in links}
    assert texts["PLAT-001: Keep DAGs thin"] == "#agreement-PLAT-001"
    assert texts["the hook rule"] == "#agreement-PLAT-002"
    assert texts["NAME-001: Transfers are named for both systems"] == "#convention-NAME-001"


@pytest.mark.sphinx("html", testroot="agreements", freshenv=True)
def test_unknown_role_target_warns(app: SphinxTestApp) -> None:
    app.build()
    warnings = warnings_of(app)
    assert "agreements.rst:" in warnings
    assert "no agreement or convention has the id 'NOPE-404' [etl.ref]" in warnings


@pytest.mark.sphinx("html", testroot="agreements")
def test_applicable_agreements_lists_matching_agreements(app: SphinxTestApp) -> None:
    app.build()
    found = sections(app)
    operator = found["Good operator"].select_one(".etl-applicable-agreements")
    assert operator.select_one(".rubric").get_text() == "Agreements that apply"
    assert [a.get_text() for a in operator.select("a")] == [
        "DOC-001: Everything in house is documented",
        "PLAT-001: Keep DAGs thin",
    ]
    hook = found["Good hook"].select(".etl-applicable-agreements a")
    assert [a.get_text().split(":")[0] for a in hook] == ["DOC-001", "PLAT-002"]
    transfer = found["Transfer"].select(".etl-applicable-agreements a")
    assert [a.get_text().split(":")[0] for a in transfer] == ["DOC-001", "NAME-001"]


@pytest.mark.sphinx("html", testroot="agreements", freshenv=True)
def test_applicable_agreements_for_unknown_component_warns(app: SphinxTestApp) -> None:
    app.build()
    assert "no single component 'rules_pkg.operators.NoSuchOperator'" in warnings_of(app)
    assert not sections(app)["Missing"].select(".etl-applicable-agreements")


@pytest.mark.sphinx("text", testroot="agreements")
def test_text_builder_renders_blocks_and_index(app: SphinxTestApp) -> None:
    app.build()
    text = (app.outdir / "agreements.txt").read_text(encoding="utf-8")
    assert "Agreement PLAT-001: Keep DAGs thin:" in text
    assert "Logic lives in operators and hooks.\n\nSecond paragraph" in text
    listing = (app.outdir / "listings.txt").read_text(encoding="utf-8")
    assert "PLAT-002" in listing and "Hooks own their connections" in listing


@pytest.mark.sphinx("text", testroot="agreements")
def test_text_builder_renders_the_index_as_a_readable_table(app: SphinxTestApp) -> None:
    app.build()
    grid, rows = text_table((app.outdir / "listings.txt").read_text(encoding="utf-8"), "All")
    assert rows == [
        ["ID", "Title", "Kind", "Status", "Owner", "Tags"],
        ["DOC-001", "Everything in house is documented", "Agreement", "deprecated",
         "platform-team", "docs"],
        ["NAME-001", "Transfers are named for both systems", "Convention", "accepted",
         "platform-team", "naming"],
        ["PLAT-001", "Keep DAGs thin", "Agreement", "accepted", "platform-team", "dags, design"],
        ["PLAT-002", "Hooks own their connections", "Agreement", "draft", "data-team", "hooks"],
    ]  # fmt: skip
    # Border, header and four rows of at most two lines each; under 100 characters wide.
    assert len(grid) <= 1 + 2 + 4 * (2 + 1)
    assert {len(line) for line in grid} == {len(grid[0])}
    assert len(grid[0]) < 100


@pytest.mark.sphinx("html", testroot="agreements")
def test_index_columns_are_as_wide_as_their_content(app: SphinxTestApp) -> None:
    # An html build, so that a regression fails here instead of hanging the text builder.
    app.build()
    doctree = app.env.get_and_resolve_doctree("listings", app.builder)
    table = next(t for t in doctree.findall(nodes.table) if "etl-agreement-index" in t["classes"])
    headers = [
        entry.astext()
        for entry in table.findall(nodes.entry)
        if entry.parent.parent.tagname == "thead"
    ]
    widths = dict(zip(headers, (c["colwidth"] for c in table.findall(nodes.colspec)), strict=True))
    assert list(widths) == ["ID", "Title", "Kind", "Status", "Owner", "Tags"]
    assert all(widths[h] >= len(h) for h in widths)
    assert widths["Kind"] >= len("Convention")
    assert widths["Status"] >= max(len("deprecated"), len("superseded"))
    assert min(widths["ID"], widths["Owner"]) >= len("PLAT-001")
    assert widths["Title"] == max(widths.values())


@pytest.mark.sphinx("singlehtml", testroot="agreements")
def test_singlehtml_fills_the_listings_of_the_pages_it_assembles(app: SphinxTestApp) -> None:
    """The listings are on ``listings``, a page the root's toctree puts into the one page."""
    app.build()
    page = html(app, "index")
    assert len(page.select("table.etl-agreement-index")) == 5
    assert len(page.select(".etl-applicable-agreements")) == 3


@pytest.mark.sphinx("latex", testroot="agreements")
def test_latex_builder_gets_labels_and_references(app: SphinxTestApp) -> None:
    app.build()
    tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert r"\label{\detokenize{agreements:agreement-PLAT-001}}" in tex
    assert r"\hyperref[\detokenize{agreements:agreement-PLAT-002}]" in tex


@pytest.mark.sphinx("html", testroot="agreements-duplicates", freshenv=True)
def test_duplicate_ids_warn_with_both_locations(app: SphinxTestApp) -> None:
    app.build()
    warnings = warnings_of(app)
    line = next(w for w in warnings.splitlines() if "duplicate convention id" in w)
    assert "other.rst:4" in line.split(": WARNING")[0]
    assert "index.rst:" in line.split("also defined at")[1]
    assert "[etl.agreement]" in line


@pytest.mark.sphinx("html", testroot="agreements-duplicates")
def test_duplicate_ids_warn_again_on_an_unchanged_rebuild(app: SphinxTestApp) -> None:
    app.build()
    app.warning.truncate(0)
    app.warning.seek(0)
    app.build()
    assert warnings_of(app).count("duplicate convention id DUP-001") == 1


@pytest.mark.sphinx("html", testroot="agreements-duplicates", freshenv=True)
def test_invalid_id_and_status_warn_at_the_directive(app: SphinxTestApp) -> None:
    app.build()
    warnings = warnings_of(app)
    assert "agreement id 'not-an-id' does not match etl_agreement_id_pattern" in warnings
    assert "unknown status 'maybe'" in warnings


@pytest.mark.sphinx("html", testroot="agreements-duplicates", freshenv=True)
def test_agreements_without_an_id_warn_and_are_no_duplicates(app: SphinxTestApp) -> None:
    app.build()
    warnings = warnings_of(app)
    assert warnings.count("has no :id:, so nothing can link to it") == 2
    assert "duplicate agreement id :" not in warnings
    assert "Two of them are not duplicates" in (app.outdir / "index.html").read_text("utf-8")


@pytest.mark.sphinx("html", testroot="agreements-myst", freshenv=True)
def test_myst_fence_and_role(app: SphinxTestApp) -> None:
    app.build()
    assert "WARNING" not in warnings_of(app)
    soup = html(app, "index")
    block = soup.find(id="agreement-ARC-001")
    assert "etl-agreement" in block["class"]
    assert block.select_one(".etl-agreement-id").get_text() == "ARC-001"
    assert block.find("strong").get_text() == "Status:"
    assert [li.get_text() for li in block.select("li")] == ["one entity, one file", "JSON only"]
    assert soup.find("a", string=None, href="#agreement-ARC-001")
    assert index_ids(soup.select_one("table.etl-agreement-index")) == ["ARC-001"]


@pytest.mark.sphinx("html", testroot="agreements", freshenv=True, parallel=2)
def test_parallel_build_collects_agreements_from_every_document(app: SphinxTestApp) -> None:
    app.build()
    table = sections(app)["All"].select_one("table.etl-agreement-index")
    assert index_ids(table) == ["DOC-001", "NAME-001", "PLAT-001", "PLAT-002"]


@pytest.mark.sphinx("html", testroot="agreements-duplicates", freshenv=True, parallel=2)
def test_parallel_build_finds_duplicates_across_documents(app: SphinxTestApp) -> None:
    app.build()
    assert "duplicate convention id DUP-001" in warnings_of(app)


@pytest.mark.sphinx("html", testroot="agreements", freshenv=True)
def test_listing_pages_follow_a_changed_agreement(app: SphinxTestApp) -> None:
    app.build()
    source = app.srcdir / "agreements.rst"
    original = source.read_text(encoding="utf-8")
    try:
        source.write_text(original.replace("Hooks own their connections", "Hooks own it"))
        app.build()
        table = sections(app)["All"].select_one("table.etl-agreement-index")
        assert table.find("a", string="Hooks own it")
    finally:
        source.write_text(original)
