"""The ``etl-markdown`` directive shows a DAG's ``doc_md`` (CommonMark) as standard docutils
nodes, which every builder writes, without touching the page's sections or passing HTML on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup, Tag
from docutils import nodes

from sphinxext_etl.directives.markdown_renderer import FragmentRenderer

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp


def _page(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def _doc(app: SphinxTestApp, name: str = "index", index: int = 0) -> Tag:
    """The ``index``-th rendered Markdown on the page ``name``."""
    return _page(app, name).select("div.etl-markdown")[index]


@pytest.mark.sphinx("html", testroot="markdown")
def test_headings_become_rubrics_at_the_heading_level(app: SphinxTestApp) -> None:
    app.build()
    doc = _doc(app)
    rubrics = [(rubric.name, rubric.get_text()) for rubric in doc.select(".rubric")]
    assert rubrics == [("h3", "Daily orders"), ("h4", "Steps")]
    assert doc.find("section") is None


@pytest.mark.sphinx("html", testroot="markdown")
def test_headings_anywhere_leave_the_pages_sections_alone(app: SphinxTestApp) -> None:
    app.build()
    page = _page(app, "placement")
    assert [section["id"] for section in page.select("section")] == ["placement", "last-section"]
    assert page.select_one("div.admonition p.rubric").get_text() == "Inside a note"
    assert page.select_one("li p.rubric").get_text() == "Inside a list"


@pytest.mark.sphinx("html", testroot="markdown")
def test_raw_html_is_shown_as_text(app: SphinxTestApp) -> None:
    app.build()
    doc = _doc(app)
    assert doc.select("script, b, [onclick], [onmouseover]") == []
    text = " ".join(doc.get_text().split())
    assert "<script>alert(" in text
    assert "<div onclick=" in text
    assert "<b onmouseover=" in text


@pytest.mark.sphinx("html", testroot="markdown")
def test_code_fences_are_highlighted_literal_blocks(app: SphinxTestApp) -> None:
    app.build()
    code = _doc(app).select_one("div.highlight-python pre")
    assert code.select_one("span.k").get_text() == "def"
    assert code.get_text() == "def load(day):\n    return day\n"


@pytest.mark.sphinx("html", testroot="markdown")
def test_a_myst_directive_fence_stays_code(app: SphinxTestApp) -> None:
    app.build()
    doc = _doc(app, "odd")
    assert doc.find("em") is None
    assert doc.select_one("pre").get_text() == "<em>still code</em>\n"


@pytest.mark.sphinx("html", testroot="markdown")
def test_lists_links_quotes_and_tables_render(app: SphinxTestApp) -> None:
    app.build()
    doc = _doc(app)
    steps = doc.select_one("ol")
    assert [code.get_text() for code in steps.select("li > ul > li code")] == [
        "orders",
        "order_lines",
    ]
    links = {a.get_text(): (a["href"], a.get("title")) for a in doc.select("a.external")}
    assert links == {
        "the runbook": ("https://example.com/runbook?team=etl&page=1", "Runbook"),
        "etl@example.com": ("mailto:etl%40example.com", None),  # Sphinx cloaks addresses
        "https://example.com/etl": ("https://example.com/etl", None),
    }
    assert doc.select_one("blockquote").get_text(strip=True).startswith("Run it by hand")
    assert [cell.get_text(strip=True) for cell in doc.select("table th, table td")] == [
        "Table",
        "Rows",
        "orders",
        "10",
    ]


@pytest.mark.sphinx("html", testroot="markdown")
def test_the_class_option_and_markdown_that_looks_like_an_option(app: SphinxTestApp) -> None:
    app.build()
    doc = _doc(app, index=1)
    assert doc["class"] == ["etl-markdown", "etl-task-doc", "docutils", "container"]
    assert (
        doc.get_text(strip=True) == ":rocket: Starts with what looks like a field, after an option."
    )


@pytest.mark.sphinx("html", testroot="markdown", freshenv=True)
def test_good_markdown_builds_without_warnings(app: SphinxTestApp) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "index.rst" not in warnings
    assert "placement.rst" not in warnings
    assert not list(app.env.get_doctree("index").findall(nodes.transition))


@pytest.mark.sphinx("html", testroot="markdown", freshenv=True)
def test_relative_targets_keep_their_text_with_located_warnings(app: SphinxTestApp) -> None:
    app.build()
    warnings = app.warning.getvalue()
    for line, what, target in [
        (6, "link", "'docs/runbook.md'"),
        (6, "link", "'#setup'"),
        (8, "image", "'graph.png'"),
    ]:
        assert (
            f"odd.rst:{line}: WARNING: Markdown {what} {target} is not a URL: only its text "
            "is shown [etl.markdown]"
        ) in warnings
    doc = _doc(app, "odd")
    assert doc.select("a, img") == []
    assert [p.get_text() for p in doc.select("p")] == ["Read the runbook and below.", "The graph"]


# A source folder of its own, so that no other test reads the doctrees of this broken build.
@pytest.mark.sphinx("html", testroot="markdown", srcdir="markdown-renderer-failure")
def test_a_renderer_failure_shows_the_markdown_as_written(
    app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: FragmentRenderer, token: object) -> None:
        raise RuntimeError("odd table")

    monkeypatch.setattr(FragmentRenderer, "render_table", broken)
    app.build()
    assert (
        "index.rst:12: WARNING: Markdown could not be rendered (RuntimeError: odd table); "
        "it is shown as written [etl.markdown]"
    ) in app.warning.getvalue()
    shown = _doc(app).select_one("pre").get_text()
    assert shown.startswith("# Daily orders\n") and "| orders | 10   |" in shown


def _built_by(builder: str) -> pytest.MarkDecorator:
    return pytest.mark.sphinx(builder, testroot="markdown")


@pytest.mark.parametrize(
    ("output", "written"),
    [
        pytest.param(
            "index.txt",
            [
                "-[ Daily orders ]-",
                "1. Extract, see the runbook.",
                '   * "order_lines"',
                "   def load(day):\n       return day",
                "| orders ",
                "<script>alert(",
            ],
            marks=_built_by("text"),
            id="text",
        ),
        pytest.param(
            "markdowntest.tex",
            [
                r"\subsection*{Daily orders}",
                r"\sphinxhref{https://example.com/runbook?team=etl\&page=1}{the runbook}",
                r"\PYG{k}{def}",
                r"\textless{}script\textgreater{}",
            ],
            marks=_built_by("latex"),
            id="latex",
        ),
        pytest.param(
            "markdowntest.1",
            ["the runbook", "https://", "<script>alert("],  # docutils 0.21 and 0.22 differ
            marks=_built_by("man"),
            id="man",
        ),
    ],
)
def test_other_builders_write_the_markdown(
    app: SphinxTestApp, output: str, written: list[str]
) -> None:
    app.build()
    page = (app.outdir / output).read_text(encoding="utf-8")
    # None holds the doc's own quotes: they are curly if the html builder read the page first.
    for text in written:
        assert text in page
