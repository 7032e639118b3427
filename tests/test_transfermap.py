"""Transfer maps: systems connected by transfer operators, as a Graphviz graph or a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from sphinxext_etl.model import Component, Kind
from sphinxext_etl.render import transfers

TRANSFERS = (
    Component("p.a.S3ToSqlOperator", Kind.TRANSFER, "p", source_system="S3", target_system="SQL"),
    Component("p.b.S3ToDbOperator", Kind.TRANSFER, "p", source_system="S3", target_system="SQL"),
    Component("p.c.HalfOperator", Kind.TRANSFER, "p", source_system="S3"),
    Component("p.d.PlainOperator", Kind.OPERATOR, "p"),
)


def test_edges_group_transfers_by_system_pair() -> None:
    assert transfers.edges(TRANSFERS) == [
        transfers.Edge("S3", "SQL", ("p.a.S3ToSqlOperator", "p.b.S3ToDbOperator"))
    ]


def test_dot_source_quotes_names_and_labels_edges() -> None:
    edges = [transfers.Edge('Say "hi"', "B", ("x.AToBOperator",))]
    dot = transfers.dot_source(edges)
    assert '"Say \\"hi\\"" -> "B" [label="AToBOperator"];' in dot
    assert dot.startswith("digraph transfers {") and dot.endswith("}")


def index(app: Any) -> BeautifulSoup:
    html = Path(app.outdir, "reference", "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


@pytest.mark.sphinx("html", testroot="modes", srcdir="modes-map-dot")
def test_map_is_a_graph_when_dot_runs(app: Any) -> None:
    app.build()
    image = index(app).select_one("img.etl-transfer-map")
    assert image is not None
    assert "Depot to Sqlite" in image["alt"]


@pytest.mark.sphinx(
    "html",
    testroot="modes",
    srcdir="modes-map-table",
    confoverrides={"graphviz_dot": "no-such-dot-executable"},
)
def test_map_is_a_table_without_dot(app: Any) -> None:
    app.build()
    soup = index(app)
    assert soup.select_one("img.etl-transfer-map") is None
    row = soup.select_one("table.etl-transfer-map tbody tr")
    cells = [" ".join(td.get_text().split()) for td in row.find_all("td")]
    assert cells == ["Depot", "Sqlite", "DepotToSqliteOperator"]
