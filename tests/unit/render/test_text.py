"""Text helpers: what docstring text and names become inside generated reST."""

from __future__ import annotations

import pytest

from sphinxext_etl.render.text import (
    DASH,
    escaped,
    first_line,
    heading,
    inert,
    inline,
    link,
    literal,
    plain,
    role_text,
    xref,
)


def test_dash_is_an_em_dash() -> None:
    """Empty cells show an em dash."""
    assert DASH == "\u2014"


# --- inert ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- x", "\\- x"),
        ("* x", "\\* x"),
        ("+ x", "\\+ x"),
        ("1. x", "\\1. x"),
        ("10) x", "\\10) x"),
        ("2.", "\\2."),
        ("A. x", "\\A. x"),
        ("b) x", "\\b) x"),
        ("(a) x", "\\(a) x"),
        ("#. x", "\\#. x"),
        ("> quoted", "\\> quoted"),
        ("----", "\\----"),
        (":field: value", "\\:field: value"),
        (".. comment", "\\.. comment"),
    ],
)
def test_inert_escapes_block_starts(text: str, expected: str) -> None:
    """Bullets, enumerators (``1.``, ``A.``, ``(a)``), quotes, transitions, fields, comments."""
    assert inert(text) == expected


@pytest.mark.parametrize("text", ["ii. Second step", "iv) Fourth", "XII. Twelfth", "Mix. Stir"])
def test_inert_escapes_roman_enumerators(text: str) -> None:
    """``ii.``, ``iv)``, ``XII.`` (and words like ``Mix.``) start enumerated lists too."""
    assert inert(text) == "\\" + text


@pytest.mark.parametrize(
    "text",
    [
        "``code`` first",
        ":class:`X` first",
        "\\- already escaped",
        "plain words",
        "1.5 seconds",
        "A.B testing",
        "Ab. x",
        "2024 was a year",
        "",
    ],
)
def test_inert_leaves_paragraph_text(text: str) -> None:
    """Inline literals, roles, escapes, decimals and words start no block: left as they are."""
    assert inert(text) == text


# --- escaped, plain, role_text ---------------------------------------------------------------


def test_escaped_escapes_markup_and_folds_whitespace() -> None:
    """Every markup character is escaped; runs of whitespace become one space."""
    assert (
        escaped("a *b*  `c`\n|d| _e_ [f] \\g") == "a \\*b\\* \\`c\\` \\|d\\| \\_e\\_ \\[f\\] \\\\g"
    )
    assert escaped("  - item ") == "\\- item"


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("airflow.models.BaseOperator", "airflow.models.BaseOperator"),
        ("~airflow.models.BaseOperator", "BaseOperator"),
        ("!airflow.models.BaseOperator", "airflow.models.BaseOperator"),
        ("the base <airflow.models.BaseOperator>", "the base"),
        ("<airflow.models.BaseOperator>", "<airflow.models.BaseOperator>"),
    ],
)
def test_role_text(body: str, shown: str) -> None:
    """A role shows its title, else its target (``~`` keeps the last part, ``!`` goes)."""
    assert role_text(body) == shown


def test_plain_turns_roles_into_literals() -> None:
    """Roles become literals of what they show; other markup is escaped; edges trimmed."""
    assert (
        plain("  Run :class:`~airflow.models.BaseOperator` and :py:meth:`the hook <a.b.get>` ")
        == "Run ``BaseOperator`` and ``the hook``"
    )
    assert plain("*emph* and ``code``") == "\\*emph\\* and \\`\\`code\\`\\`"


# --- literal -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("task_id", "``task_id``"),
        ("dict[str,  Any]\n | None", "``dict[str, Any] | None``"),
        ("a`b", "``a`b``"),
        ("`quoted`", ":literal:`\\`quoted\\``"),
        ("trailing`", ":literal:`trailing\\``"),
        ("a``b", ":literal:`a\\`\\`b`"),
        ("``already``", ":literal:`\\`\\`already\\`\\``"),
        ("c:\\dir``x", ":literal:`c:\\\\dir\\`\\`x`"),
    ],
)
def test_literal_is_safe_whatever_it_holds(text: str, expected: str) -> None:
    """Plain ````text````, unless backticks would end it early: then an escaped ``:literal:``."""
    assert literal(text) == expected


# --- heading -------------------------------------------------------------------------------


def test_heading_underline_matches_the_title() -> None:
    """The underline is as long as the (escaped) title; the adornment character is chosen."""
    assert heading("Reference") == "Reference\n========="
    assert heading("Reference", "-") == "Reference\n---------"
    assert heading("*bold*") == "\\*bold\\*\n========"
    assert heading("- list") == "\\- list\n======="


def test_heading_counts_wide_characters_twice() -> None:
    """East Asian wide and full-width characters take two columns on screen."""
    assert heading("データ") == "データ\n======"
    assert heading("\uff21\uff22 x") == "\uff21\uff22 x\n======"  # full-width A, B
    assert heading("é") == "é\n="


def test_heading_of_nothing() -> None:
    """An empty (or blank) title would be no section: it reads ``Untitled``."""
    assert heading("") == "Untitled\n========"
    assert heading("  \n ") == "Untitled\n========"


# --- link ----------------------------------------------------------------------------------


def test_link_is_an_anonymous_hyperlink() -> None:
    """Escaped text, the stripped URL, two underscores (no duplicate-target warnings)."""
    assert link("Docs", "https://example.com/a") == "`Docs <https://example.com/a>`__"
    assert link("a*b", " https://x.org ") == "`a\\*b <https://x.org>`__"
    assert link("", "https://x.org") == "`https://x.org <https://x.org>`__"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "https://x.org/a b",
        "https://x.org/<a>",
        "https://x.org/`a`",
        "https://x.org/a\\b",
    ],
)
def test_link_with_an_unusable_url_is_text(url: str) -> None:
    """A missing URL, or one that would break the hyperlink syntax, leaves the text."""
    assert link("Docs *here*", url) == "Docs \\*here\\*"


def test_link_without_text_or_usable_url_shows_the_url() -> None:
    """No text and a bad URL: the URL, escaped, as text."""
    assert link("", "https://x.org/`a`") == "https://x.org/\\`a\\`"
    assert link("", "") == ""


# --- xref ----------------------------------------------------------------------------------


def test_xref() -> None:
    """An ``etl-class`` reference, short unless a title is given."""
    assert xref("a.b.C") == ":etl-class:`~a.b.C`"
    assert xref("a.b.C", "the C") == ":etl-class:`the C <a.b.C>`"


# --- inline --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See `the docs <https://x.org>`__ for more.", "See the docs for more."),
        ("See `the docs <https://x.org>`_ for more.", "See the docs for more."),
        ("Set ``task_id`` and ``pool``.", "Set ``task_id`` and ``pool``."),
        ("``code`` first", "``code`` first"),
        ("Run :class:`~a.b.Hook` *now*", "Run ``Hook`` \\*now\\*"),
        ("For example::", "For example:"),
        ("For example ::", "For example:"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "\\1. not a list"),
        ("Many\n   lines  here", "Many lines here"),
        ("**kwargs are passed", "\\*\\*kwargs are passed"),
        ("", ""),
    ],
)
def test_inline_makes_docstring_text_a_cell(text: str, expected: str) -> None:
    """Hyperlinks drop to their text, literals stay, other markup is inert, ``::`` -> ``:``."""
    assert inline(text) == expected


def test_inline_keeps_spaces_around_literals() -> None:
    """The text between literals keeps its blanks, so words never run together."""
    assert inline("a ``b`` c ``d``") == "a ``b`` c ``d``"
    assert inline("``b``, ``c``") == "``b``, ``c``"


# --- first_line ----------------------------------------------------------------------------


def test_first_line_is_the_first_non_blank_line() -> None:
    """Blank lines are skipped; the line is returned as written (indentation kept)."""
    assert first_line("\n \n  First line\nSecond") == "  First line"
    assert first_line("") == ""
    assert first_line("\n\n") == ""
