"""Docstring repairs: what lets any docstring be parsed inside a directive."""

from __future__ import annotations

from typing import Any

import pytest

from sphinxext_etl.render.docstrings import (
    blocks,
    contain_structure,
    literal_markers_with_blocks,
    titles_as_rubrics,
    versionless_directives,
    without_parameter_fields,
)


def lines(text: str) -> list[str]:
    return text.split("\n")


# --- titles_as_rubrics ---------------------------------------------------------------------


def test_underlined_title_becomes_rubric() -> None:
    """A title and its underline become one rubric line."""
    assert titles_as_rubrics(lines("Intro.\n\nExamples\n--------\n\nText.")) == lines(
        "Intro.\n\n.. rubric:: Examples\n\nText."
    )


def test_title_at_the_start_becomes_rubric() -> None:
    """The first line counts as preceded by a blank line; any adornment length of 3 or more."""
    assert titles_as_rubrics(["Notes", "~~~", "Text."]) == [".. rubric:: Notes", "Text."]


def test_overlined_title_becomes_rubric() -> None:
    """Over- and underlined titles too, with matching adornment characters."""
    assert titles_as_rubrics(lines("Intro.\n\n=====\nTitle\n=====\n\nText.")) == lines(
        "Intro.\n\n.. rubric:: Title\n\nText."
    )


def test_indented_title_keeps_its_indentation() -> None:
    """A title in an indented body stays in that body."""
    assert titles_as_rubrics(["Body:", "", "   Returns", "   -------", "   Text."]) == [
        "Body:",
        "",
        "   .. rubric:: Returns",
        "   Text.",
    ]


def test_transition_is_dropped() -> None:
    """A lone adornment line between blank lines (a transition) goes."""
    assert titles_as_rubrics(lines("One.\n\n----\n\nTwo.")) == lines("One.\n\n\nTwo.")


@pytest.mark.parametrize(
    "text",
    [
        "Paragraph line\nTitle\n-----",  # no blank line before: a paragraph's text
        "Title\n  -----",  # underline indented differently
        "Title\n--",  # too short to be an adornment
        ".. note::\n-----",  # explicit markup is no title
    ],
)
def test_what_is_no_title_is_left_alone(text: str) -> None:
    """Only what docutils would read as a section title is rewritten."""
    assert titles_as_rubrics(lines(text)) == lines(text)


def test_title_inside_a_literal_block_is_code() -> None:
    """Text underlined inside a literal block is code (a table in command output)."""
    text = ["Output::", "", "    Name", "    ----", "    foo"]
    assert titles_as_rubrics(text) == text


def test_transition_inside_a_code_block_is_code() -> None:
    """A separator line inside a code block is code."""
    text = [".. code-block:: text", "", "    a", "", "    ----", "", "    b"]
    assert titles_as_rubrics(text) == text


# --- literal_markers_with_blocks -------------------------------------------------------------


def test_literal_marker_with_a_block_stays() -> None:
    """``::`` followed by an indented block is a literal block: kept."""
    text = lines("Example::\n\n    code()\n")
    assert literal_markers_with_blocks(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Example::", "Example:"),
        ("Example::\n\nNot code.", "Example:\n\nNot code."),
        ("   Indented::\nLess indented.", "   Indented:\nLess indented."),
        ("Text.\n\n::\n\nNot code.", "Text.\n\n\n\nNot code."),
    ],
)
def test_dangling_literal_marker_is_a_colon(text: str, expected: str) -> None:
    """Without an indented block after it, the marker reads as one colon (a lone ``::``
    line goes)."""
    assert literal_markers_with_blocks(lines(text)) == lines(expected)


def test_spaced_dangling_literal_marker_goes() -> None:
    """``Paragraph ::`` is docutils' expanded form: the marker and its space both go."""
    assert literal_markers_with_blocks(["Example ::", "Text."]) == ["Example", "Text."]


def test_explicit_markup_ending_in_double_colon_is_left() -> None:
    """A directive line ends in ``::`` by nature."""
    text = [".. code-block::", "Text."]
    assert literal_markers_with_blocks(text) == text


# --- versionless_directives ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("deprecated", "Deprecated"),
        ("versionadded", "Added"),
        ("versionchanged", "Changed"),
        ("versionremoved", "Removed"),
    ],
)
def test_version_directive_without_version_becomes_admonition(name: str, label: str) -> None:
    """Sphinx requires a version: without one the directive is an admonition, body kept."""
    assert versionless_directives([f"   .. {name}::  ", "      Use Y."]) == [
        f"   .. admonition:: {label}",
        "",
        "      Use Y.",
    ]


def test_version_directive_with_version_is_left() -> None:
    """With a version the directive is fine as it is."""
    text = [".. deprecated:: 2.0", "   Use Y."]
    assert versionless_directives(text) == text


# --- contain_structure ---------------------------------------------------------------------

DOCSTRING = """\
Archive a table to the object store.

Parameters
----------

The parameters are documented below.

=======
Returns
=======

Nothing.

----

Example::

.. deprecated::
   Use the :class:`CopyOperator`.

Usage::

    ArchiveOperator(task_id="archive", table="t")

.. versionadded:: 1.2
"""


def test_contain_structure(file_regression: Any) -> None:
    """Titles, overlines, transitions, dangling ``::`` and versionless directives together."""
    file_regression.check("\n".join(contain_structure(lines(DOCSTRING))), extension=".rst")


def test_contain_structure_leaves_a_clean_docstring() -> None:
    """A docstring with nothing to repair comes back unchanged."""
    text = lines("Summary.\n\n:param x: The x.\n\nExample::\n\n    f(x)\n")
    assert contain_structure(text) == text


# --- blocks --------------------------------------------------------------------------------


def test_blocks_start_at_unindented_lines_after_blanks() -> None:
    """Indented bodies stay with what introduces them; blank lines end the block before."""
    text = lines("First.\nStill first.\n\n.. note::\n\n   Body.\n\nLast.")
    assert blocks(text) == [
        (0, ["First.", "Still first.", ""]),
        (3, [".. note::", "", "   Body.", ""]),
        (7, ["Last."]),
    ]


def test_blocks_of_leading_blanks_and_indentation() -> None:
    """What comes before the first unindented line is a block of its own."""
    assert blocks(["", "  indented", "", "Text."]) == [(0, ["", "  indented", ""]), (3, ["Text."])]
    assert blocks([]) == []


# --- without_parameter_fields --------------------------------------------------------------


def test_listed_parameter_fields_go_with_their_continuation_lines() -> None:
    """napoleon's ``:param x:`` then ``:type x:``, each with its indented lines."""
    text = lines(
        "Run it.\n\n:param path: where,\n    and why.\n:type path: str\n"
        ":param mode: how.\n:returns: the result.\n\nClosing text."
    )
    assert without_parameter_fields(text, {"path", "mode"}) == lines(
        "Run it.\n\n:returns: the result.\n\nClosing text."
    )


@pytest.mark.parametrize(
    "field",
    [
        ":param path:",
        ":parameter path:",
        ":arg path:",
        ":argument path:",
        ":key path:",
        ":keyword path:",
        ":kwarg path:",
        ":type path:",
        ":kwtype path:",
        ":param str path:",
        ":param dict[str, int] path:",
    ],
)
def test_every_spelling_of_a_parameter_field_goes(field: str) -> None:
    assert without_parameter_fields(
        ["Text.", "", f"{field} a value.", ":rtype: int"], {"path"}
    ) == [
        "Text.",
        "",
        ":rtype: int",
    ]


def test_fields_for_names_that_are_no_listed_parameter_stay() -> None:
    """A stale ``:param:`` is shown, never silently dropped; ``*args`` is not ``args``."""
    text = lines(
        ":param path: listed.\n:param retired: stale.\n    Still stale.\n:param \\*args: rest."
    )
    assert without_parameter_fields(text, {"path", "args"}) == lines(
        ":param retired: stale.\n    Still stale.\n:param \\*args: rest."
    )


def test_other_fields_stay() -> None:
    text = lines(":returns: a URL.\n:rtype: str\n:raises ValueError: when bad.\n:meta private:")
    assert without_parameter_fields(text, {"path", "ValueError", "private"}) == text


def test_a_field_body_of_several_paragraphs_goes_and_what_follows_stays() -> None:
    """A blank line followed by a deeper line is still the field's body; one followed by
    an unindented line ends it, and stays."""
    text = lines(
        ":param path: where.\n\n    More about path.\n\n:param other: kept.\n\nText after."
    )
    assert without_parameter_fields(text, {"path"}) == lines("\n:param other: kept.\n\nText after.")


def test_indented_field_list_keeps_its_indentation() -> None:
    text = [
        ".. note::",
        "",
        "   :param path: where.",
        "      More.",
        "   :returns: it.",
        "",
        "After.",
    ]
    assert without_parameter_fields(text, {"path"}) == [
        ".. note::",
        "",
        "   :returns: it.",
        "",
        "After.",
    ]


def test_what_is_no_field_list_is_left_alone() -> None:
    """A field marker inside a paragraph or a literal block is text, not a field."""
    text = lines("A paragraph\n:param path: continues it.\n\nExample::\n\n    :param path: code")
    assert without_parameter_fields(text, {"path"}) == text


def test_no_listed_parameters_leave_the_lines_as_they_are() -> None:
    text = [":param path: where."]
    assert without_parameter_fields(text, ()) == text
