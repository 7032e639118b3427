"""Generated reference pages: layout, content, relations, inventory and docstrings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import parameters
from sphinx.util.inventory import InventoryFile

from sphinxext_etl.build import reference_files as generated
from sphinxext_etl.model import Catalog, Component, Kind, Provider
from sphinxext_etl.render import reference

ACME = "reference/acme-platform"


def page(app: Any, docname: str) -> BeautifulSoup:
    html = Path(app.outdir, f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def section(soup: BeautifulSoup, name: str) -> BeautifulSoup:
    """What follows the component page's ``name`` heading, up to the next heading."""
    heading = soup.select_one(f".etl-rubric-{name}")
    assert heading is not None, f"no heading {name!r}"
    siblings = []
    for sibling in heading.find_next_siblings():
        if "rubric" in (sibling.get("class") or []):
            break
        siblings.append(str(sibling))
    return BeautifulSoup("".join(siblings), "html.parser")


@pytest.mark.sphinx("html", testroot="reference")
def test_layout_is_nested_by_provider(app: Any) -> None:
    app.build()
    folder = Path(app.srcdir, "reference")
    assert (folder / "index.rst").is_file()
    assert (folder / "standard" / "index.rst").is_file()
    assert (folder / "standard" / "BashOperator.rst").is_file()
    assert (folder / "acme-platform" / "ObjectStoreHook.rst").is_file()
    assert not list(folder.glob("*Operator.rst")), "component pages never sit at the top"
    for path in folder.rglob("*.rst"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(generated.MARKER)
        assert str(Path(app.srcdir)) not in text and " at 0x" not in text


@pytest.mark.sphinx("html", testroot="reference")
def test_bash_operator_marks_templated_parameters(app: Any) -> None:
    app.build()
    soup = page(app, "reference/standard/BashOperator")
    rows = parameters(soup)
    assert rows["bash_command"].select_one(".etl-badge-templated")
    assert rows["env"].select_one(".etl-badge-templated")
    assert not rows["append_env"].select_one(".etl-badge-templated")
    templating = section(soup, "templating").get_text(" ", strip=True)
    assert "bash_command" in templating and ".sh" in templating
    assert "BaseOperator" in soup.get_text()  # the collapsed line for inherited parameters


@pytest.mark.sphinx("html", testroot="reference")
def test_transfer_page_shows_source_target_and_hooks(app: Any) -> None:
    app.build()
    soup = page(app, f"{ACME}/SqliteToPostgresOperator")
    relations = section(soup, "relations")
    assert "Sqlite → Postgres" in relations.get_text(" ", strip=True)
    links = {a.get_text(strip=True): a["href"] for a in relations.select("a.reference")}
    assert links["PostgresHook"].endswith(
        "postgres/PostgresHook.html#airflow.providers.postgres.hooks.postgres.PostgresHook"
    )
    assert links["SqliteHook"].startswith("../sqlite/SqliteHook.html")
    assert soup.select_one(".etl-badge-kind-transfer") and soup.select_one(".etl-badge-in-house")


@pytest.mark.sphinx("html", testroot="reference")
def test_hook_page_lists_the_operators_that_use_it(app: Any) -> None:
    app.build()
    soup = page(app, f"{ACME}/ObjectStoreHook")
    used_by = [a.get_text(strip=True) for a in section(soup, "relations").select("a.reference")]
    assert {"ArchiveIngestedEntitiesOperator", "EntityArchivedSensor"} <= set(used_by)
    connection = section(soup, "connection").get_text(" ", strip=True)
    assert "acme_object_store" in connection and "acme_object_store_default" in connection


@pytest.mark.sphinx("html", testroot="reference")
def test_deprecated_and_deferrable_badges(app: Any) -> None:
    app.build()
    legacy = page(app, f"{ACME}/LegacyExportOperator")
    assert legacy.select_one(".etl-badge-deprecated")
    assert legacy.select_one(".etl-deprecated")
    assert page(app, f"{ACME}/WaitForBatchOperator").select_one(".etl-badge-deferrable")


@pytest.mark.sphinx("html", testroot="reference")
def test_inventory_lists_components_at_their_dotted_paths(app: Any) -> None:
    app.build()
    with open(Path(app.outdir, "objects.inv"), "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    classes = (
        dict(inventory.data["py:class"]) if hasattr(inventory, "data") else inventory["py:class"]
    )
    bash = "airflow.providers.standard.operators.bash.BashOperator"
    assert bash in classes
    assert "acme_platform.hooks.object_store.ObjectStoreHook" in classes
    entry = classes[bash]
    uri = entry.uri if hasattr(entry, "uri") else entry[2]
    assert uri.startswith("reference/standard/BashOperator.html")


@pytest.mark.sphinx("html", testroot="reference")
def test_provider_page_groups_components_by_kind(app: Any) -> None:
    app.build()
    soup = page(app, "reference/standard/index")
    rubrics = [r.get_text(strip=True) for r in soup.select("p.rubric")]
    assert {"Hooks", "Operators", "Sensors"} <= set(rubrics)
    assert "Standard" in soup.find("h1").get_text()


@pytest.mark.sphinx("html", testroot="reference")
def test_source_link_goes_to_the_local_source_page(app: Any) -> None:
    app.build()
    soup = page(app, f"{ACME}/SqliteToPostgresOperator")
    link = soup.find("a", string="Source code")
    assert link is not None
    target, _, anchor = link["href"].partition("#")
    assert target == "../_source/acme_platform.transfers.sqlite_to_postgres.html"
    source = page(app, "reference/_source/acme_platform.transfers.sqlite_to_postgres")
    assert source.find(id=anchor) is not None
    assert "class SqliteToPostgresOperator" in source.get_text()


@pytest.mark.sphinx(
    "html",
    testroot="reference",
    srcdir="reference-source-url",
    confoverrides={"etl_source_url": "https://git.example.com/acme/blob/main/{path}#L{line}"},
)
def test_source_url_pattern_replaces_local_pages(app: Any) -> None:
    app.build()
    soup = page(app, f"{ACME}/SqliteToPostgresOperator")
    hrefs = [a["href"] for a in soup.select("a.reference.external")]
    assert any(
        h.startswith(
            "https://git.example.com/acme/blob/main/acme_platform/transfers/sqlite_to_postgres.py#L"
        )
        for h in hrefs
    )
    assert not Path(app.srcdir, "reference", "_source").exists()


@pytest.mark.sphinx("html", testroot="reference")
def test_docstring_goes_through_the_sites_autodoc_hooks(app: Any) -> None:
    app.build()
    soup = page(app, f"{ACME}/ArchiveIngestedEntitiesOperator")
    documentation = section(soup, "documentation")
    assert "own autodoc-process-docstring hook" in documentation.get_text()
    # Its :param: fields all name parameters the Parameters section lists: none is repeated.
    assert not documentation.select_one("dl.py.class dd dl.field-list")


@pytest.mark.sphinx("html", testroot="reference")
def test_foreign_markup_warns_once_per_name_and_renders(app: Any, warning: Any) -> None:
    app.build()
    text = warning.getvalue()
    assert text.count("external+boto3:py:class") == 1
    assert text.count("exampleinclude") == 1
    assert "spelling" not in text
    assert "howto/operator" not in text  # upstream :ref: targets stay quiet
    assert "ERROR" not in text and "CRITICAL" not in text
    docstring = section(
        page(app, "reference/shop-ops/shop_ops.exports.ExportOperator"), "documentation"
    )
    assert "boto3.session.Session" in docstring.get_text()
    assert "API documentation." in docstring.get_text()


@pytest.mark.sphinx("html", testroot="reference")
def test_static_component_still_renders_its_docstring(app: Any) -> None:
    app.build()
    soup = page(app, "reference/shop-ops/ShelfSensor")
    assert soup.select_one(".etl-badge-static")
    assert (
        "Restocking is reported by the warehouse robot."
        in section(soup, "documentation").get_text()
    )


# --- files, without Sphinx ---------------------------------------------------------------------


def test_unchanged_pages_are_not_rewritten(tmp_path: Path) -> None:
    pages = {"index.rst": f"{generated.MARKER}\n\nReference\n=========\n"}
    assert generated.write_pages(tmp_path, pages) == (["index.rst"], [])
    assert generated.write_pages(tmp_path, pages) == ([], [])


def test_only_pages_the_extension_wrote_are_removed(tmp_path: Path) -> None:
    text = f"{generated.MARKER}\n\nPage\n====\n"
    generated.write_pages(tmp_path, {"a/One.rst": text, "a/Two.rst": text})
    (tmp_path / "mine.rst").write_text("A page a person wrote.\n")
    written, removed = generated.write_pages(tmp_path, {"a/One.rst": text})
    assert (written, removed) == ([], ["a/Two.rst"])
    assert (tmp_path / "mine.rst").exists()


def test_shared_short_names_use_dotted_paths() -> None:
    owner = Provider(name="shop_ops", in_house=True)
    catalog = Catalog(
        providers=(owner,),
        components=(
            Component("shop_ops.a.ExportOperator", Kind.OPERATOR, "shop_ops"),
            Component("shop_ops.b.ExportOperator", Kind.OPERATOR, "shop_ops"),
            Component("shop_ops.b.CountOperator", Kind.OPERATOR, "shop_ops"),
        ),
    )
    assert reference.component_docnames(catalog) == {
        "shop_ops.a.ExportOperator": "shop-ops/shop_ops.a.ExportOperator",
        "shop_ops.b.ExportOperator": "shop-ops/shop_ops.b.ExportOperator",
        "shop_ops.b.CountOperator": "shop-ops/CountOperator",
    }


@pytest.mark.sphinx("html", testroot="reference")
def test_provider_source_links_point_at_the_release_upstream(app: Any) -> None:
    app.build()
    soup = page(app, "reference/standard/BashOperator")
    hrefs = [a["href"] for a in soup.select("a.reference.external")]
    from importlib.metadata import version

    tag = f"providers-standard/{version('apache-airflow-providers-standard')}"
    expected = (
        f"https://github.com/apache/airflow/blob/{tag}/providers/standard/src/"
        "airflow/providers/standard/operators/bash.py#L"
    )
    assert any(h.startswith(expected) for h in hrefs), hrefs
    assert not Path(
        app.srcdir, "reference", "_source", "airflow.providers.standard.operators.bash.rst"
    ).exists()
    assert Path(
        app.srcdir, "reference", "_source", "acme_platform.transfers.sqlite_to_postgres.rst"
    ).exists()


@pytest.mark.sphinx(
    "html",
    testroot="reference",
    srcdir="reference-nav-limit",
    confoverrides={"etl_navigation_limit": 3},
)
def test_wide_providers_stay_out_of_the_html_navigation(app: Any, warning: Any) -> None:
    app.build()
    assert "isn't included in any toctree" not in warning.getvalue()
    provider = Path(app.srcdir, "reference", "standard", "index.rst").read_text()
    assert ".. toctree::" not in provider
    source = Path(app.srcdir, "reference", "standard", "BashOperator.rst").read_text()
    assert source.startswith(":orphan:")
    assert Path(app.outdir, "reference", "standard", "BashOperator.html").is_file()
    sidebar = page(app, "reference/standard/index").select("li[class^='toctree-l'] a[href]")
    assert not any(a["href"].endswith("BashOperator.html") for a in sidebar)


@pytest.mark.sphinx(
    "text",
    testroot="reference",
    srcdir="reference-nav-limit-text",
    confoverrides={"etl_navigation_limit": 3},
)
def test_other_builders_keep_every_page_in_the_toctree(app: Any) -> None:
    app.build()
    source = Path(app.srcdir, "reference", "standard", "BashOperator.rst").read_text()
    assert not source.startswith(":orphan:")
    assert "BashOperator" in Path(app.srcdir, "reference", "standard", "index.rst").read_text()
