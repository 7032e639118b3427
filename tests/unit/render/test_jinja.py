"""The one Jinja environment: filters, the empty-cell dash, and site templates first."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import UndefinedError
from jinja2.sandbox import SecurityError

from sphinxext_etl.render import jinja
from sphinxext_etl.render.text import DASH


@pytest.mark.parametrize(
    ("guide", "url"),
    [
        (
            "/docs/apache-airflow-providers-http/operators.rst",
            "https://airflow.apache.org/docs/apache-airflow-providers-http/stable/operators.html",
        ),
        (
            "/docs/apache-airflow-providers-amazon/operators/s3/s3.rst",
            "https://airflow.apache.org/docs/apache-airflow-providers-amazon/stable/operators/s3/s3.html",
        ),
        ("/howto/operator.rst", "https://airflow.apache.org/howto/operator.rst"),
    ],
)
def test_guide_url(guide: str, url: str) -> None:
    """A provider guide's path -> its stable upstream page; other paths stay on the site."""
    assert jinja.guide_url(guide) == url


def test_guide_title() -> None:
    """The path under the distribution's docs, or the guide as given."""
    assert jinja.guide_title("/docs/apache-airflow-providers-amazon/operators/s3/s3.rst") == (
        "operators/s3/s3"
    )
    assert jinja.guide_title("/howto.rst") == "/howto.rst"


def test_environment_filters_and_dash() -> None:
    """Every text filter is registered, and the dash is a global."""
    env = jinja.environment(())
    assert set(jinja.FILTERS) <= set(env.filters)
    template = env.from_string(
        "{{ x | literal }} {{ '' | literal or DASH }} {{ t | heading('-') }}"
    )
    assert template.render(x="a`", t="T") == f":literal:`a\\`` {DASH} T\n-"


def test_environment_is_strict_and_sandboxed() -> None:
    """Undefined names fail; templates cannot reach Python internals."""
    env = jinja.environment(())
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__subclasses__() }}").render(x=1)


def test_site_templates_come_first(tmp_path: Path) -> None:
    """A site's template overrides the package's of the same name; the others still load."""
    (tmp_path / "catalog.rst.jinja").write_text("site catalog {{ count }}\n", encoding="utf-8")
    search_path = jinja.site_search_path(tmp_path.parent, [tmp_path.name])
    assert search_path == (str(tmp_path),)
    env = jinja.environment(search_path)
    assert env.get_template("catalog.rst.jinja").render(count=3) == "site catalog 3\n"
    assert env.get_template("index.rst.jinja").filename == str(
        jinja.PACKAGE_TEMPLATES / "index.rst.jinja"
    )
