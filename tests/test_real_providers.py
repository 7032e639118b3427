"""What real providers get wrong, contained: deprecations that mean what they say, foreign
docstrings that never break a build, classes that raise when read. Each case has a fixture of
its own in ``tests/fixtures/quirks_pkg``; nothing here depends on a provider's docstring text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import distributions_on_path, parameters
from docutils.core import publish_doctree
from docutils.utils import Reporter

from sphinxext_etl import model
from sphinxext_etl.collect import deprecations
from sphinxext_etl.model import Catalog, Integration, Provider, loads
from sphinxext_etl.render import docstrings, reference

QUIRKS = Path(__file__).parent / "fixtures" / "quirks_pkg"
REFERENCE = "reference/quirks-pkg"


def catalog_of(app: Any) -> Catalog:
    return loads(Path(app.outdir, "catalog.json").read_text(encoding="utf-8"))


def page(app: Any, docname: str) -> BeautifulSoup:
    html = Path(app.outdir, f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def strip_colours(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


# --- deprecations ---------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="quirks")
def test_conditional_parameter_warning_deprecates_the_parameter_not_the_class(app: Any) -> None:
    app.build()
    copy = catalog_of(app).by_path()["quirks_pkg.deprecations.CopyObjectsOperator"]
    assert not copy.deprecated
    region = copy.parameter("region")
    assert region is not None and region.deprecation is not None
    assert region.deprecation.message.startswith("Parameter `region` is deprecated")
    assert region.deprecation.replacement == "region_name"


@pytest.mark.sphinx("html", testroot="quirks")
def test_kwargs_only_parameter_deprecation_is_recorded(app: Any) -> None:
    app.build()
    copy = catalog_of(app).by_path()["quirks_pkg.deprecations.CopyObjectsOperator"]
    delimiter = copy.parameter("delimiter")
    assert delimiter is not None and delimiter.via_kwargs
    assert delimiter.deprecation is not None
    assert delimiter.deprecation.replacement == "match_glob"


@pytest.mark.sphinx("html", testroot="quirks")
def test_conditions_no_single_parameter_decides_give_neither(app: Any) -> None:
    app.build()
    copy = catalog_of(app).by_path()["quirks_pkg.deprecations.CopyObjectsOperator"]
    assert [p.name for p in copy.parameters if p.deprecated] == ["region", "delimiter"]


@pytest.mark.sphinx("html", testroot="quirks")
def test_unconditional_message_keyword_and_decorator_deprecate_the_class(app: Any) -> None:
    app.build()
    by_path = catalog_of(app).by_path()
    legacy = by_path["quirks_pkg.deprecations.LegacyCopyOperator"].deprecation
    assert legacy is not None
    assert legacy.message == "LegacyCopyOperator is deprecated. Use CopyObjectsOperator instead."
    assert legacy.replacement == "CopyObjectsOperator"
    single = by_path["quirks_pkg.deprecations.SingleCopyOperator"].deprecation
    assert single is not None and single.message.startswith("Use CopyObjectsOperator;")


@pytest.mark.sphinx("html", testroot="quirks")
def test_parameter_list_shows_the_deprecation(app: Any) -> None:
    app.build()
    soup = page(app, f"{REFERENCE}/CopyObjectsOperator")
    rows = parameters(soup)
    assert rows["region"].select_one(".etl-badge-deprecated")
    assert "region_name" in rows["region"].get_text()
    assert "**kwargs" in rows["delimiter"].get_text()
    assert not rows["bucket"].select_one(".etl-badge-deprecated")
    assert not soup.select_one(".etl-deprecated"), "the class itself is current"


@pytest.mark.sphinx("html", testroot="quirks")
def test_deprecated_package_adapter_gives_its_reason(app: Any) -> None:
    app.build()
    old = catalog_of(app).by_path()["quirks_pkg.deprecations.OldApiCopyOperator"].deprecation
    assert old == model.Deprecation("Copies through the old API.")


def test_airflow_style_decorator_is_read_from_source() -> None:
    import ast

    source = (
        "@deprecated(planned_removal_date='March 31, 2027', use_instead='pkg.NewHook',\n"
        "            category=AirflowProviderDeprecationWarning)\n"
        "class OldHook(NewHook):\n"
        "    pass\n"
    )
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.ClassDef)
    found = deprecations.decorated_deprecation(node)
    assert found == model.Deprecation("Please use `pkg.NewHook` instead.", "pkg.NewHook")


def test_message_text_reads_fstrings_concatenation_and_format() -> None:
    import ast

    def text(source: str) -> str:
        return deprecations.message_text(ast.parse(source, mode="eval").body)

    assert text('f"{name} is deprecated"') == "{name} is deprecated"
    assert text('"a " + ("b" if x else "c") + "d"') == "a bd"
    assert text('"use {} instead".format(new)') == "use {} instead"
    assert text("MESSAGE") == ""


# --- docstrings -------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="quirks", freshenv=True)
def test_section_titles_in_docstrings_become_rubrics(app: Any) -> None:
    app.build()
    warnings = strip_colours(app.warning.getvalue())
    assert "Unexpected section title" not in warnings
    soup = page(app, f"{REFERENCE}/ImportReportOperator")
    assert "CSV IMPORT" in [r.get_text(strip=True) for r in soup.select("dl.py p.rubric")]


@pytest.mark.sphinx("html", testroot="quirks", freshenv=True)
def test_literal_block_marker_without_a_block_is_a_colon(app: Any) -> None:
    app.build()
    assert "Literal block expected" not in app.warning.getvalue()
    text = page(app, f"{REFERENCE}/ImportReportOperator").get_text()
    assert "columns are:" in text and "columns are::" not in text


@pytest.mark.sphinx("html", testroot="quirks", freshenv=True)
def test_in_house_docstring_problem_warns_at_the_python_source_line(app: Any) -> None:
    app.build()
    source = QUIRKS / "docstrings.py"
    expected = f"{source}:{line_of(source, 'A paragraph with *unclosed')}: WARNING"
    warnings = strip_colours(app.warning.getvalue())
    assert expected in warnings
    assert "[etl.docstring]" in warnings
    assert "ImportReportOperator.rst" not in warnings, "never located in the generated page"
    raw = page(app, f"{REFERENCE}/ImportReportOperator").select(".etl-docstring-raw")
    assert [r.get_text().strip() for r in raw] == [
        "A paragraph with *unclosed emphasis, which docutils cannot read."
    ]


def test_contain_structure_repairs_titles_markers_and_versionless_notes() -> None:
    lines = [
        "Intro.",
        "",
        "Title",
        "~~~~~",
        "",
        "=====",
        "Over",
        "=====",
        "",
        "Text::",
        "",
        "More text.",
        "",
        ".. deprecated::",
        "   Old.",
        "",
        "Code::",
        "",
        "   x = 1",
    ]
    assert docstrings.contain_structure(lines) == [
        "Intro.",
        "",
        ".. rubric:: Title",
        "",
        ".. rubric:: Over",
        "",
        "Text:",
        "",
        "More text.",
        "",
        ".. admonition:: Deprecated",
        "",
        "   Old.",
        "",
        "Code::",
        "",
        "   x = 1",
    ]


# --- generated markup ---------------------------------------------------------------------------


def messages_of(text: str) -> list[str]:
    """docutils' messages for generated reST, with Sphinx's own roles and directives
    stood in for (only structure is checked here)."""
    found: list[str] = []
    plain = re.sub(
        r"^\.\. (etl-[\w-]+|operator-catalog|toctree|graphviz|only)::.*$", "..", text, flags=re.M
    )
    plain = re.sub(r":(etl-[\w-]+|doc|ref):`", "`", plain)
    doctree = publish_doctree(
        plain,
        settings_overrides={"report_level": Reporter.SEVERE_LEVEL + 1, "halt_level": 5},
    )
    for message in doctree.findall(lambda n: n.tagname == "system_message"):
        if message["level"] >= Reporter.WARNING_LEVEL:
            found.append(message.astext())
    return found


@pytest.mark.parametrize(
    "integrations",
    [
        (),
        (Integration("SMTP", "https://example.org/smtp"),),
        (Integration("SMTP", "", ("/docs/apache-airflow-providers-smtp/operators/smtp.rst",)),),
        (Integration("Odd *name* `1.", "not a url <x>"), Integration("Two", "https://x.org")),
    ],
)
def test_provider_page_markup_is_valid_for_any_metadata(
    integrations: tuple[Integration, ...],
) -> None:
    provider = Provider(
        "apache-airflow-providers-smtp",
        title="1. Simple *Mail* Transfer `Protocol",
        version="2.0",
        description="x" * 500,
        integrations=integrations,
    )
    pages = reference.render_pages(Catalog(providers=(provider,)), reference.Settings())
    assert messages_of(pages["smtp/index.rst"]) == []


@pytest.mark.parametrize(
    "description",
    [
        "=====",
        "* a bullet",
        "1. one",
        "(a) one",
        "A. Smith",
        "| a line block",
        ">>> prompt",
        "-- dash",
        ":field: body",
        "",
        "e.g.::",
    ],
)
def test_reference_index_markup_is_valid_for_any_description(description: str) -> None:
    provider = Provider("apache-airflow-providers-x", title="X", description=description)
    pages = reference.render_pages(Catalog(providers=(provider,)), reference.Settings())
    assert messages_of(pages["index.rst"]) == []


# --- classes that raise when read ----------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="quirks", freshenv=True)
def test_class_whose_reading_raises_is_read_statically_and_located(app: Any) -> None:
    app.build()
    vault = catalog_of(app).by_path()["quirks_pkg.metaclass.VaultHook"]
    assert vault.static
    assert vault.connection is not None and vault.connection.conn_type == "vault"
    source = QUIRKS / "metaclass.py"
    warnings = strip_colours(app.warning.getvalue())
    assert f"{source}:{line_of(source, 'class VaultHook(')}: WARNING: cannot introspect" in warnings
    assert "[etl.introspect]" in warnings
    assert json.loads(Path(app.outdir, "catalog.json").read_text())["schema"] == 3


# --- provider docstrings: counted, not warned -------------------------------------------------

QUIRKS_PROVIDER = Path(__file__).parent / "fixtures" / "quirks_provider"


@pytest.fixture
def quirks_provider() -> Iterator[Path]:
    """Install the fixture provider for one test, and forget it after."""
    with distributions_on_path(QUIRKS_PROVIDER, ("acme_quirks_provider",)) as folder:
        yield folder


@pytest.mark.sphinx("html", testroot="quirks-provider", freshenv=True)
def test_provider_docstring_problems_are_one_summary_line(quirks_provider: Path, app: Any) -> None:
    app.build()
    assert app.warning.getvalue() == "", "nothing a team cannot fix is a warning, even with -n"
    status = strip_colours(app.status.getvalue())
    summary = [line for line in status.splitlines() if "[etl] provider docstrings:" in line]
    assert len(summary) == 1
    assert "1 block(s) in 1 component(s) shown as preformatted text" in summary[0]
    assert "2 role(s)/directive(s) this site lacks" in summary[0]
    # The :class: in ``:param bucket:`` is not parsed: the Parameters section shows bucket.
    assert "3 reference(s) that resolve nowhere" in summary[0]
    soup = page(app, "reference/acme-quirks-provider/BucketSyncOperator")
    assert soup.select_one(".etl-docstring-raw")
    assert "S3.Client" in soup.get_text()


BOTO3_INVENTORY = Path(__file__).parent / "roots" / "test-quirks-provider" / "boto3.inv"


@pytest.mark.sphinx(
    "html",
    testroot="quirks-provider",
    freshenv=True,
    confoverrides={
        "extensions": ["sphinxext_etl", "sphinx.ext.intersphinx"],
        "intersphinx_mapping": {"boto3": ("https://boto3.example.org/", str(BOTO3_INVENTORY))},
    },
)
def test_provider_external_references_resolve_through_intersphinx_or_are_counted(
    quirks_provider: Path, app: Any
) -> None:
    app.build()
    assert app.warning.getvalue() == "", "an :external: target no inventory has is counted"
    soup = page(app, "reference/acme-quirks-provider/BucketSyncOperator")
    links = {a.get_text(): a["href"] for a in soup.select("a.reference.external")}
    assert links["S3.Client"] == "https://boto3.example.org/reference/services/s3.html#S3.Client"
    assert links["boto3.session.Session.client()"].endswith(
        "session.html#boto3.session.Session.client"
    )
    status = strip_colours(app.status.getvalue())
    summary = next(line for line in status.splitlines() if "[etl] provider docstrings:" in line)
    assert "role(s)/directive(s)" not in summary, "intersphinx defines :external: roles"
    assert "4 reference(s) that resolve nowhere" in summary


@pytest.mark.sphinx("html", testroot="quirks-provider", freshenv=True)
def test_provider_module_missing_an_optional_dependency_is_counted(
    quirks_provider: Path, app: Any
) -> None:
    app.build()
    assert "etl.import" not in app.warning.getvalue()
    status = strip_colours(app.status.getvalue())
    assert "[etl] 1 provider module(s) need optional dependencies that are not installed" in status
    sdk = catalog_of(app).by_path()["acme_quirks_provider.operators.sdk.SdkSyncOperator"]
    assert sdk.static


@pytest.mark.sphinx(
    "html",
    testroot="quirks-provider",
    freshenv=True,
    confoverrides={"etl_provider_import_warnings": True},
)
def test_provider_import_warnings_opt_in(quirks_provider: Path, app: Any) -> None:
    app.build()
    warnings = strip_colours(app.warning.getvalue())
    source = quirks_provider / "acme_quirks_provider" / "operators" / "sdk.py"
    expected = f"{source}:{line_of(source, 'raise RuntimeError(')}: WARNING"
    assert expected in warnings and "[etl.import]" in warnings


@pytest.mark.sphinx(
    "html",
    testroot="quirks-provider",
    freshenv=True,
    confoverrides={"etl_provider_docstring_warnings": True},
)
def test_provider_docstring_warnings_opt_in(quirks_provider: Path, app: Any) -> None:
    app.build()
    warnings = strip_colours(app.warning.getvalue())
    source = quirks_provider / "acme_quirks_provider" / "operators" / "buckets.py"
    assert f"{source}:{line_of(source, 'A paragraph with *unclosed')}: WARNING" in warnings
    assert ":external+boto3:py:class:" in warnings
    assert "py:exc reference target not found: BucketMissingError" in warnings


# --- source links per owner -----------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "version", "expected"),
    [
        (
            "apache-airflow-providers-common-sql",
            "1.2.0",
            "https://github.com/apache/airflow/blob/providers-common-sql/1.2.0/providers/common/sql/src/pkg/mod.py#L7",
        ),
        ("apache-airflow", "2.10.5", "https://github.com/apache/airflow/blob/2.10.5/pkg/mod.py#L7"),
        (
            "apache-airflow",
            "3.3.2",
            "https://github.com/apache/airflow/blob/3.3.2/airflow-core/src/pkg/mod.py#L7",
        ),
        ("acme-bare-provider", "1.0.0", ""),
    ],
)
def test_source_links_point_where_each_owner_keeps_its_code(
    owner: str, version: str, expected: str, tmp_path: Path
) -> None:
    from sphinxext_etl.config import PROVIDER_SOURCE_URL
    from sphinxext_etl.model import Component, Kind
    from sphinxext_etl.render import sources

    source = tmp_path / "pkg" / "mod.py"
    source.parent.mkdir()
    source.write_text("class A:\n    pass\n")
    component = Component(
        path="pkg.mod.A",
        kind=Kind.OPERATOR,
        owner=owner,
        owner_version=version,
        source_file=str(source),
        source_line=7,
    )
    settings = reference.Settings(provider_source_url=PROVIDER_SOURCE_URL)
    link = sources.source_link(component, settings.source_pattern(component))
    assert link.get("url", "") == expected
