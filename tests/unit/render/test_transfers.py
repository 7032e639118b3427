"""Transfer maps: the systems transfer operators connect, as edges, Graphviz and alt text."""

from __future__ import annotations

from sphinxext_etl.model import Component, Kind
from sphinxext_etl.render.transfers import Edge, alt_text, dot_source, edges


def transfer(path: str, source: str, target: str, kind: Kind = Kind.TRANSFER) -> Component:
    return Component(path, kind, "acme", source_system=source, target_system=target)


COMPONENTS = [
    transfer("b.SqliteToPostgresOperator", "SQLite", "PostgreSQL"),
    transfer("a.SqliteToPostgresOperator", "SQLite", "PostgreSQL"),
    transfer("c.S3ToSqliteOperator", "Amazon S3", "SQLite"),
    transfer("d.HalfOperator", "SQLite", ""),
    transfer("e.NotATransfer", "SQLite", "PostgreSQL", kind=Kind.OPERATOR),
    transfer("f.QuoteOperator", 'Say "hi"', "Back\\slash"),
]


def test_edges_one_per_pair_sorted() -> None:
    """Pairs sorted, their transfers sorted; half-known ends and non-transfers left out."""
    assert edges(COMPONENTS) == [
        Edge("Amazon S3", "SQLite", ("c.S3ToSqliteOperator",)),
        Edge("SQLite", "PostgreSQL", ("a.SqliteToPostgresOperator", "b.SqliteToPostgresOperator")),
        Edge('Say "hi"', "Back\\slash", ("f.QuoteOperator",)),
    ]


def test_dot_source_quotes_names() -> None:
    """A left-to-right digraph; labels are class names; quotes and backslashes escaped."""
    lines = dot_source(edges(COMPONENTS)).splitlines()
    assert lines[:2] == ["digraph transfers {", "   rankdir=LR;"]
    assert lines[4] == '   "Amazon S3" -> "SQLite" [label="S3ToSqliteOperator"];'
    assert lines[6:] == ['   "Say \\"hi\\"" -> "Back\\\\slash" [label="QuoteOperator"];', "}"]
    assert dot_source([]).splitlines()[-1] == "}"


def test_dot_source_label_breaks_lines_between_transfers() -> None:
    """An edge with two transfers has one class name per label line (DOT's ``\\n``)."""
    assert dot_source(edges(COMPONENTS)).splitlines()[5] == (
        '   "SQLite" -> "PostgreSQL" [label="SqliteToPostgresOperator\\nSqliteToPostgresOperator"];'
    )


def test_alt_text() -> None:
    """Every edge in words."""
    assert alt_text(edges(COMPONENTS)[:2]) == (
        "Transfer map: Amazon S3 to SQLite; SQLite to PostgreSQL"
    )
