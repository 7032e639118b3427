"""``directives/lines.py``: which definitions and cells are one-line paragraphs, read without
a nested state machine (``etl-list-table`` reads catalog cells so)."""

from __future__ import annotations

import pytest

from sphinxext_etl.directives.lines import simple


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["One line."], True),
        (["One.", "", "Two, *emphasised*."], True),
        (["*Not documented.*"], True),
        (["\\- an escaped dash."], True),
        ([], True),
        (["Two lines", "of one paragraph."], False),
        (["", "A leading blank."], False),
        (["One.", "", "", "Two."], False),
        (["* a bullet"], False),
        (["1. a number"], False),
        (["A block follows::"], False),
        (["..  note:: a directive"], False),
        ([":field: a field list"], False),
        ([":py:class:`Hook <a.b.Hook>` *(deprecated)*"], True),
        ([":py:class: a field named so"], False),
        (["\u2014"], True),
        (["\u2014 an attribution, in a block quote"], False),
    ],
)
def test_simple_definitions_are_one_line_paragraphs(lines: list[str], expected: bool) -> None:
    assert simple(lines) is expected
