"""The connection builder on hook pages: its form in HTML and nothing of it in other builders;
in headless Chromium, the URI, JSON and environment variable it prints for awkward values are
what Airflow's own Connection gives and reads back as the connection that was typed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import test_version_switcher as switcher
from airflow.models import Connection
from airflow.sdk.definitions.connection import Connection as TaskConnection
from bs4 import BeautifulSoup
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait
from sphinx.cmd.build import build_main

# The switcher's fixtures: headless Chromium, and a server of this module's own `site`.
browser = switcher.browser
server = switcher.server
WAIT_SECONDS = switcher.WAIT_SECONDS

ROOT = Path(__file__).parent / "roots" / "test-connection-builder"
ACME = "reference/acme-platform"
FIELDS = ("conn_type", "host", "login", "password", "schema", "port")


def build(folder: Path, builder: str) -> Path:
    """The test root, copied (a build writes its reference pages into it), built."""
    source = folder / "src"
    shutil.copytree(ROOT, source)
    assert build_main(["-q", "-b", builder, str(source), str(folder / builder)]) == 0
    return folder / builder


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("connection-builder"), "html")


def soup_of(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


# --- the markup ------------------------------------------------------------------------------


def test_a_hook_page_holds_a_builder_of_its_forms_fields(site: Path) -> None:
    soup = soup_of(site, f"{ACME}/ObjectStoreHook")
    form = soup.select_one("form.etl-connection-builder")
    assert form is not None and form.has_attr("hidden"), "shown by the script only"
    assert form["data-conn-type"] == "acme_object_store"
    fields = form.select("[data-etl-field], [data-etl-extra]")
    # The hook hides schema, login, password, port and extra; base_path is its extra field.
    assert [f.get("data-etl-field") or f"extra:{f['data-etl-extra']}" for f in fields] == [
        "conn_id",
        "host",
        "extra:base_path",
    ]
    labels = {
        form.find(id=label["for"]).get("data-etl-field") or label["for"]: label.get_text()
        for label in form.select("label")
    }
    assert labels["host"] == "Backend" and labels["conn_id"] == "Connection ID"
    assert fields[0]["value"] == "acme_object_store_default"
    assert fields[1]["placeholder"] == "file"
    assert fields[2]["placeholder"] == "/srv/acme/archive"
    for control in form.select("input, select, textarea"):
        assert form.select_one(f'label[for="{control["id"]}"]'), f"{control['id']} has a label"
    assert len(form.select("button[data-etl-copy]")) == 3


def test_the_builder_loads_its_script_and_stylesheet_only_where_it_is(site: Path) -> None:
    def assets(page: str) -> set[str]:
        soup = soup_of(site, page)
        found = {s["src"] for s in soup.select("script[src]")}
        found |= {link["href"] for link in soup.select("link[rel=stylesheet]")}
        return {Path(a.partition("?")[0]).name for a in found}

    assert {"etl-connection.js", "etl-connection.css"} <= assets(f"{ACME}/ObjectStoreHook")
    assert not {"etl-connection.js", "etl-connection.css"} & assets(f"{ACME}/WaitForBatchOperator")


def test_a_relabelled_schema_keeps_its_place(site: Path) -> None:
    form = soup_of(site, "reference/postgres/PostgresHook").select_one("form")
    assert form is not None
    labels = [label.get_text() for label in form.select(".etl-cb-fields label")]
    assert labels == ["Connection ID", "Host", "Database", "Login", "Password", "Port", "Extra"]


def test_other_builders_show_the_connection_facts_and_no_builder(tmp_path: Path) -> None:
    text = (build(tmp_path, "text") / ACME / "ObjectStoreHook.txt").read_text(encoding="utf-8")
    facts = " ".join(text.split())
    assert 'Connection type: "acme_object_store"' in facts
    assert 'Default connection ID: "acme_object_store_default"' in facts
    assert 'Extra form fields: "base_path" (Base path)' in facts
    for builder_text in ("<form", "etl-", "Fill in the fields", "Copy"):
        assert builder_text not in text


# --- in the browser --------------------------------------------------------------------------


def open_builder(browser: WebDriver, server: str, page: str) -> WebElement:
    browser.get(f"{server}/{page}.html")
    return WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.find_element(By.CSS_SELECTOR, "form.etl-connection-builder:not([hidden])")
    )


def control(form: WebElement, label: str) -> WebElement:
    for element in form.find_elements(By.TAG_NAME, "label"):
        if element.text == label:
            return form.find_element(By.ID, element.get_attribute("for"))
    raise AssertionError(f"no field labelled {label!r}")


def fill(browser: WebDriver, form: WebElement, values: dict[str, str]) -> None:
    """Type each value into the field of that label, as a reader would (ChromeDriver types
    only the Basic Multilingual Plane: other characters are set as a paste would)."""
    for label, text in values.items():
        element = control(form, label)
        if element.tag_name == "select":
            Select(element).select_by_visible_text(text or "(not set)")
            continue
        typeable = all(ord(c) <= 0xFFFF for c in text)
        browser.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}))",
            element,
            "" if typeable else text,
        )
        if typeable:
            element.send_keys(text)


def outputs(form: WebElement) -> dict[str, str]:
    found = {
        key: form.find_element(By.CSS_SELECTOR, f'[data-etl-output="{key}"]').get_property("value")
        for key in ("uri", "json", "env")
    }
    found["problems"] = form.find_element(By.CSS_SELECTOR, ".etl-cb-problems").text
    found["notes"] = form.find_element(By.CSS_SELECTOR, ".etl-cb-notes").text
    return found


def facts(conn: Any) -> dict[str, Any]:
    """A connection's fields, an empty one as None (Airflow reads an empty login back as "")."""
    found = {name: getattr(conn, name) or None for name in FIELDS}
    found["extra"] = list(conn.extra_dejson.items()) or None
    return found


def typed(fields: dict[str, Any]) -> dict[str, Any]:
    found = {name: fields.get(name) for name in FIELDS}
    found["extra"] = list(fields["extra"].items()) if fields.get("extra") else None
    return found


def assert_airflow_agrees(
    page: dict[str, str], fields: dict[str, Any], *, lossless: bool = True
) -> None:
    """The page's URI is get_uri() of the typed connection, and its URI (unless Airflow's URI
    form loses something) and JSON read back as that connection."""
    given = {name: value for name, value in fields.items() if value is not None}
    assert page["uri"] == Connection(conn_id="built", **given).get_uri()
    extra = json.dumps(given["extra"]) if given.get("extra") else None
    task_given = {**given, "extra": extra} if extra else given
    assert page["uri"] == TaskConnection(conn_id="built", **task_given).get_uri()
    assert page["json"] == json.dumps(given, ensure_ascii=False)
    assert facts(Connection.from_json(page["json"], conn_id="built")) == typed(fields)
    if lossless:
        assert facts(Connection(conn_id="built", uri=page["uri"])) == typed(fields)


NESTED_EXTRA = (
    '{"sslmode": "verify-full", "options": {"search path": ["a b", 1.0, 12345678901234567890],'
    ' "2": null}, "ü": true}'
)


@pytest.mark.browser
def test_a_typed_connection_reads_back_the_same(browser: WebDriver, server: str) -> None:
    form = open_builder(browser, server, "reference/postgres/PostgresHook")
    fill(
        browser,
        form,
        {
            "Host": "db host/ü@corp:5432",
            "Database": "sales db/2024?x#y",
            "Login": "ana maría@corp",
            "Password": "p@ss:w/rd %41 ü 😀",
            "Port": "",
            "Extra": NESTED_EXTRA,
        },
    )
    page = outputs(form)
    assert page["problems"] == "" and page["notes"] == ""
    extra = json.loads(NESTED_EXTRA)
    fields = {
        "conn_type": "postgres",
        "host": "db host/ü@corp:5432",
        "login": "ana maría@corp",
        "password": "p@ss:w/rd %41 ü 😀",
        "schema": "sales db/2024?x#y",
        "port": None,
        "extra": extra,
    }
    assert_airflow_agrees(page, fields)
    assert "__extra__=" in page["uri"], "an extra with other values than strings goes as JSON"


@pytest.mark.browser
def test_extras_of_strings_go_in_the_query(browser: WebDriver, server: str) -> None:
    form = open_builder(browser, server, "reference/http/HttpHook")
    extra = {"Content-Type": "application/json; charset=utf-8", "q": "a&b=c+d é"}
    fill(
        browser,
        form,
        {
            "Host": "https://api.example.com/v1",
            "Login": "api user",
            "Password": "s3cr3t/=&?#",
            "Port": "8443",
            "Extra": json.dumps(extra),
        },
    )
    page = outputs(form)
    assert page["uri"].startswith("http://https://api%20user:")
    assert page["uri"].endswith(
        "?Content-Type=application%2Fjson%3B+charset%3Dutf-8&q=a%26b%3Dc%2Bd+%C3%A9"
    )
    fields = {
        "conn_type": "http",
        "host": "https://api.example.com/v1",
        "login": "api user",
        "password": "s3cr3t/=&?#",
        "schema": None,
        "port": 8443,
        "extra": extra,
    }
    assert_airflow_agrees(page, fields)
    # The provider's extra field, a boolean, joins the extra after what the JSON gives.
    fill(browser, form, {"Use DNS SRV Lookup": "true"})
    page = outputs(form)
    assert "__extra__=" in page["uri"]
    assert_airflow_agrees(page, {**fields, "extra": {**extra, "srv_lookup": True}})


@pytest.mark.browser
def test_the_variable_is_what_airflow_reads_for_the_connection_id(
    browser: WebDriver, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = open_builder(browser, server, f"{ACME}/MetricsHook")
    fill(
        browser,
        form,
        {"Host": "metrics.acme.internal", "Port": "8125", "Extra": '{"prefix": "it\'s."}'},
    )
    page = outputs(form)
    assert page["env"].startswith("export AIRFLOW_CONN_ACME_METRICS_DEFAULT='")
    # What a shell makes of the line, then what Airflow makes of the variable.
    value = subprocess.run(
        ["bash", "-c", f"{page['env']}; printenv AIRFLOW_CONN_ACME_METRICS_DEFAULT"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.removesuffix("\n")
    assert value == page["json"]
    monkeypatch.setenv("AIRFLOW_CONN_ACME_METRICS_DEFAULT", value)
    conn = Connection.get_connection_from_secrets("acme_metrics_default")
    assert facts(conn) == typed(
        {
            "conn_type": "acme_metrics",
            "host": "metrics.acme.internal",
            "port": 8125,
            "extra": {"prefix": "it's."},
        }
    )
    fill(browser, form, {"Connection ID": "reporting.eu-1"})
    page = outputs(form)
    assert page["env"].startswith("export AIRFLOW_CONN_REPORTING.EU-1='")
    assert "no shell variable name" in page["notes"]


@pytest.mark.browser
def test_values_airflow_would_refuse_are_named_and_give_no_output(
    browser: WebDriver, server: str
) -> None:
    form = open_builder(browser, server, "reference/postgres/PostgresHook")
    fill(browser, form, {"Host": "db", "Port": "70000"})
    page = outputs(form)
    assert "port" in page["problems"] and (page["uri"], page["json"], page["env"]) == ("", "", "")
    assert control(form, "Port").get_attribute("aria-invalid") == "true"
    assert not form.find_element(By.CSS_SELECTOR, '[data-etl-copy="uri"]').is_enabled()
    fill(browser, form, {"Port": "5432", "Extra": '{"a": 1,}'})
    page = outputs(form)
    assert "Extra must be a JSON object" in page["problems"] and page["uri"] == ""
    assert control(form, "Port").get_attribute("aria-invalid") is None
    fill(browser, form, {"Extra": ""})
    assert outputs(form)["uri"] == "postgres://db:5432"


@pytest.mark.browser
def test_every_field_and_copy_button_is_reached_with_the_keyboard(
    browser: WebDriver, server: str
) -> None:
    form = open_builder(browser, server, f"{ACME}/ObjectStoreHook")
    first = control(form, "Connection ID")
    first.click()
    reached = []
    for _ in range(9):
        active = browser.switch_to.active_element
        key = active.get_attribute("data-etl-copy") or active.get_attribute("id").rpartition("-")[2]
        reached.append(f"{key} {active.tag_name}")
        active.send_keys(Keys.TAB)
    assert reached == [
        "id input",  # the connection ID
        "1 input",
        "2 input",
        "uri textarea",
        "uri button",
        "json textarea",
        "json button",
        "env textarea",
        "env button",
    ]
    # Enter in a field does not leave the page.
    control(form, "Backend").send_keys("file", Keys.ENTER)
    assert browser.current_url.endswith("ObjectStoreHook.html")
    assert outputs(form)["uri"] == "acme-object-store://file"


# Connections typed as their fields' texts: (name, {standard field: text, "extra": JSON text,
# "extras": [[key, text, type]]}). The expected connection is computed here, from the texts.
CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "every field, awkward",
        {
            "conn_type": "postgres",
            "host": "db-1.example.com",
            "login": "user name@corp",
            "password": "p@ss:w/rd %41 ü ?#&=+ (x)!*'~",
            "schema": "my db/ü",
            "port": "5432",
        },
    ),
    (
        "astral and control characters",
        {
            "conn_type": "http",
            "login": "😀",
            "password": "tab\there",
            "extra": '{"emoji": "😀", "ctl": "\\u0001\\u007f", "nested": {"a": [1, "\\ud800"]}}',
        },
    ),
    (
        "floats stay floats, integers exact",
        {
            "conn_type": "http",
            "extra": '{"f": [1.0, 1e16, 1.5e-7, 0.0001, 1e-5, -0.0, 123456789.125, 1e22, 5e-324,'
            ' 1.7976931348623157e308, 0.1], "big": 123456789012345678901234567890, "neg": -0}',
        },
    ),
    (
        "key order, integer-like keys and a repeated key",
        {"conn_type": "http", "extra": '{"b": 1, "2": 2, "a": 3, "1": 4, "b": 5}'},
    ),
    ("host with the type's own protocol", {"conn_type": "http", "host": "http://example.com/p"}),
    (
        "host with another protocol",
        {"conn_type": "http", "host": "https://example.com:8080/p?q=1", "port": "443"},
    ),
    ("only a port", {"conn_type": "http", "port": "8080"}),
    ("only a password", {"conn_type": "redis", "password": "secret", "host": "cache"}),
    ("only a login", {"conn_type": "ftp", "login": "me"}),
    (
        "schema and strings in the query",
        {"conn_type": "mysql", "schema": "db", "extra": '{"a": "1 2", "b": "", "c": "x/y"}'},
    ),
    ("underscores in the type", {"conn_type": "google_cloud_platform", "extra": '{"p": "x"}'}),
    (
        "extra fields of every type over the extra",
        {
            "conn_type": "smtp",
            "extra": '{"timeout": 1, "z": "zz"}',
            "extras": [
                ["timeout", "30", "integer"],
                ["ratio", "2.50", "number"],
                ["on", "false", "boolean"],
                ["opts", '{"x": [true]}', "json"],
                ["from", "me@x.org", ""],
                ["unset", "", "integer"],
            ],
        },
    ),
    ("a host with ':' and '@'", {"conn_type": "http", "host": "bücher.example:x@y"}),
    ("nothing but the type", {"conn_type": "postgres"}),
    ("an empty extra object", {"conn_type": "postgres", "extra": "{}"}),
]
#: Connections whose URI Airflow reads back otherwise (the page says so in a note).
LOSSY_CASES: list[tuple[str, dict[str, Any]]] = [
    ("a string extra that parses as JSON", {"conn_type": "http", "extra": '{"n": "123"}'}),
    ("an upper-case host", {"conn_type": "http", "host": "DB.Example.COM"}),
    ("an __extra__ key", {"conn_type": "http", "extra": '{"__extra__": "x"}'}),
]
CONVERT = {"integer": int, "number": json.loads, "json": json.loads, "boolean": "true".__eq__}


def expected(values: dict[str, Any]) -> dict[str, Any]:
    extra = json.loads(values["extra"]) if values.get("extra") else {}
    for key, text, kind in values.get("extras", []):
        if text:
            extra[key] = CONVERT.get(kind, str)(text)
    fields: dict[str, Any] = {name: values.get(name) or None for name in FIELDS}
    fields["port"] = int(values["port"]) if values.get("port") else None
    fields["extra"] = extra or None
    return fields


def encode(browser: WebDriver, values: dict[str, Any]) -> dict[str, Any]:
    # As JSON text: WebDriver cannot hand back a string with an unpaired surrogate.
    return json.loads(
        browser.execute_script(
            "return JSON.stringify(window.etlConnection.encode(arguments[0]))",
            {"conn_id": "built", **values},
        )
    )


@pytest.fixture(scope="module")
def encoder(browser: WebDriver, server: str) -> WebDriver:
    open_builder(browser, server, "reference/http/HttpHook")
    return browser


@pytest.mark.browser
@pytest.mark.parametrize(("name", "values"), CASES, ids=[name for name, _ in CASES])
def test_encoding_matches_airflow(encoder: WebDriver, name: str, values: dict[str, Any]) -> None:
    page = encode(encoder, values)
    assert page["problems"] == [] and page["notes"] == []
    assert_airflow_agrees(page, expected(values))


@pytest.mark.browser
@pytest.mark.parametrize(("name", "values"), LOSSY_CASES, ids=[n for n, _ in LOSSY_CASES])
def test_a_uri_airflow_reads_otherwise_is_noted(
    encoder: WebDriver, name: str, values: dict[str, Any]
) -> None:
    page = encode(encoder, values)
    assert page["notes"], "the page says the URI does not read back the same"
    assert_airflow_agrees(page, expected(values), lossless=False)
    with pytest.raises((AssertionError, ValueError)):  # __extra__="x" is no JSON object
        assert_airflow_agrees(page, expected(values))


@pytest.mark.browser
def test_no_uri_where_airflow_gives_none(encoder: WebDriver) -> None:
    values = {"conn_type": "http", "extra": '{"s": "\\ud800", "n": 1}'}
    fields = expected(values)
    with pytest.raises(UnicodeEncodeError):
        Connection(conn_id="built", conn_type="http", extra=fields["extra"]).get_uri()
    page = encode(encoder, values)
    assert page["uri"] == "" and "no URI" in page["notes"][0]
    assert page["json"] == json.dumps(
        {"conn_type": "http", "extra": fields["extra"]}, ensure_ascii=False
    )
