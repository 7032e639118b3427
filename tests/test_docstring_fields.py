"""Docstring fields on component pages: the parameters the Parameters section lists are not
repeated by the docstring's own field list; every other field stays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import parameters

REFERENCE = "reference/fields-pkg"
#: What Sphinx puts between a field item's name and its text.
DASH = "\N{EN DASH}"


def page(app: Any, docname: str) -> BeautifulSoup:
    html = Path(app.outdir, f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def docstring_fields(soup: BeautifulSoup) -> dict[str, str]:
    """The docstring's field list (inside the class description): field name -> its text."""
    fields: dict[str, str] = {}
    for field_list in soup.select("dl.py.class > dd dl.field-list"):
        for name in field_list.find_all("dt", recursive=False):
            body = name.find_next_sibling("dd")
            fields[name.get_text(strip=True).rstrip(":")] = body.get_text(" ", strip=True)
    return fields


def documentation(soup: BeautifulSoup) -> str:
    described = soup.select_one("dl.py.class > dd")
    assert described is not None
    return described.get_text(" ", strip=True)


@pytest.mark.sphinx("html", testroot="docstring-fields")
def test_parameters_the_page_lists_are_left_out_of_the_docstring(app: Any) -> None:
    app.build()
    soup = page(app, f"{REFERENCE}/PublishReportOperator")
    rows = parameters(soup)
    assert "relative to the landing folder" in rows["path"].get_text()
    assert "overwrite" in rows
    text = documentation(soup)
    assert "relative to the landing folder" not in text
    assert "replace a report already published" not in text
    fields = docstring_fields(soup)
    assert "path" not in fields.get("Parameters", "")
    assert "overwrite" not in fields.get("Parameters", "")


@pytest.mark.sphinx("html", testroot="docstring-fields")
def test_param_for_a_name_that_is_no_parameter_stays(app: Any) -> None:
    app.build()
    soup = page(app, f"{REFERENCE}/PublishReportOperator")
    assert "retired_flag" not in parameters(soup)
    fields = docstring_fields(soup)
    assert fields["Parameters"] == f"retired_flag {DASH} a parameter this operator no longer takes."


@pytest.mark.sphinx("html", testroot="docstring-fields")
def test_returns_raises_and_text_after_the_fields_stay(app: Any) -> None:
    app.build()
    soup = page(app, f"{REFERENCE}/PublishReportOperator")
    fields = docstring_fields(soup)
    assert fields["Returns"] == "the URL of the published report."
    assert fields["Raises"] == f"FileNotFoundError {DASH} when the report is missing."
    assert "Reports are kept for a year." in documentation(soup)


@pytest.mark.sphinx("html", testroot="docstring-fields")
def test_google_style_parameters_are_left_out_after_napoleon(app: Any) -> None:
    app.build()
    soup = page(app, f"{REFERENCE}/ArchiveReportOperator")
    assert set(parameters(soup)) == {"path", "bucket"}
    fields = docstring_fields(soup)
    assert "Parameters" not in fields
    assert fields["Returns"] == "the archived report\N{RIGHT SINGLE QUOTATION MARK}s key."
    assert fields["Return type"] == "str"


@pytest.mark.sphinx("html", testroot="docstring-fields")
def test_docstring_outside_a_component_page_keeps_its_fields(app: Any) -> None:
    """The package's docstring (on its owner page, which lists no parameters) keeps
    ``:param path:`` though a component of the package takes ``path``."""
    app.build()
    soup = page(app, f"{REFERENCE}/index")
    names = [name.get_text(strip=True) for name in soup.select("dl.field-list > dt")]
    assert "param path:" in names
