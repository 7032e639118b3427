"""``render.diff``: a catalog diff as text, Markdown and JSON, against snapshot files."""

from __future__ import annotations

import json
import re

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from sphinxext_etl.model import Catalog, Component, Connection, Deprecation, Kind, Parameter
from sphinxext_etl.model import Provider as Owner
from sphinxext_etl.model.diff import CatalogDiff, diff
from sphinxext_etl.render.diff import DIFF_SCHEMA, FORMATS, as_json, as_markdown, as_text

PLATFORM = "acme_platform"
HTTP = "apache-airflow-providers-http"


def operator(path: str, *parameters: Parameter, **fields: object) -> Component:
    values: dict[str, object] = {"kind": Kind.OPERATOR, "owner": PLATFORM}
    values.update(fields)
    return Component(path, parameters=parameters, **values)  # type: ignore[arg-type]


def sample() -> CatalogDiff:
    """Changes of every severity, two owners, a move with its note, and values with
    Markdown's special characters (``|``, ``<``, ``*``)."""
    conn = Connection(conn_type="http", default_conn_name="http_default")
    old = Catalog(
        providers=(Owner(PLATFORM, version="1.4.0"), Owner(HTTP, version="4.1.0")),
        components=(
            operator(
                "acme_platform.operators.load.LoadOperator",
                Parameter("table", "str", "None"),
                Parameter("mode", "str | None", "'append'", templated=True),
                Parameter("sentinel", "object", "<object object at 0x7f3a2c1b9e40>"),
                Parameter("pattern", "str", "'*.csv'"),
            ),
            operator("acme_platform.legacy.ExportOperator", Parameter("target", "str", "'*'")),
            operator("acme_platform.operators.old.PurgeOperator"),
            Component(
                "airflow.providers.http.hooks.http.HttpHook",
                Kind.HOOK,
                HTTP,
                connection=conn,
            ),
        ),
    )
    new = Catalog(
        providers=(Owner(PLATFORM, version="1.5.0"), Owner(HTTP, version="4.1.0")),
        components=(
            operator(
                "acme_platform.operators.load.LoadOperator",
                Parameter("table", "str", required=True),
                Parameter("mode", "str | list[str] | None", "'merge'"),
                Parameter("sentinel", "object", "<object object at 0x7f99aa001230>"),
                Parameter("pattern", "str", "'<date>/*.csv'"),
                Parameter("batch", "int", "1000"),
                deprecation=Deprecation("Use LoadV2Operator.", "LoadV2Operator"),
            ),
            operator("acme_platform.export.ExportOperator", Parameter("target", "str", "'*'")),
            Component(
                "airflow.providers.http.hooks.http.HttpHook",
                Kind.HOOK,
                HTTP,
                connection=Connection(conn_type="http", default_conn_name="http_api"),
            ),
            Component("airflow.providers.http.sensors.http.HttpSensor", Kind.SENSOR, HTTP),
        ),
    )
    return diff(old, new)


def test_text_groups_by_severity_then_owner(file_regression: FileRegressionFixture) -> None:
    file_regression.check(as_text(sample()), extension=".txt")


def test_markdown_is_a_pull_request_comment(file_regression: FileRegressionFixture) -> None:
    file_regression.check(as_markdown(sample()), extension=".md")


def test_json_has_a_stable_schema(file_regression: FileRegressionFixture) -> None:
    text = as_json(sample())
    file_regression.check(text, extension=".json")
    data = json.loads(text)
    assert data["schema"] == DIFF_SCHEMA
    assert set(data) == {"schema", "counts", "worst", "owners", "changes"}
    assert data["counts"] == {"breaking": 2, "warning": 7, "info": 2}
    assert {tuple(sorted(change)) for change in data["changes"]} == {
        ("component", "kind", "message", "new", "note", "old", "owner", "parameter", "severity")
    }


def test_markdown_cells_cannot_break_the_table() -> None:
    markdown_it = pytest.importorskip("markdown_it")  # comes with myst-parser
    html = markdown_it.MarkdownIt("gfm-like").render(as_markdown(sample()))
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert len(rows) == 2 + 7 + 2 + 3  # the changes and one header per table
    assert {len(re.findall(r"<t[dh]>", row)) for row in rows} == {4}
    assert "from str | None to str | list[str] | None</td>" in html
    assert "from '*.csv' to '&lt;date&gt;/*.csv'</td>" in html


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_no_changes_says_so(name: str) -> None:
    same = Catalog(components=(operator("acme_platform.operators.load.LoadOperator"),))
    rendered = FORMATS[name](diff(same, same))
    if name == "json":
        data = json.loads(rendered)
        assert (data["changes"], data["worst"]) == ([], None)
    else:
        assert "no changes" in rendered
        assert "BREAKING" not in rendered and "###" not in rendered
