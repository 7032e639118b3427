"""``sphinx-etl diff``: catalogs from files, folders and URLs, the formats, and exit codes."""

from __future__ import annotations

import functools
import http.server
import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sphinxext_etl import cli
from sphinxext_etl.model import Catalog, Component, Deprecation, Kind, Parameter, dumps
from sphinxext_etl.model.diff import CHANGE_KINDS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "diff.rst"
PATH = "acme_platform.operators.load.LoadOperator"


def operator(*parameters: Parameter, **fields: object) -> Component:
    values: dict[str, object] = {"kind": Kind.OPERATOR, "owner": "acme_platform"}
    values.update(fields)
    return Component(PATH, parameters=parameters, **values)  # type: ignore[arg-type]


def write(folder: Path, name: str, catalog: Catalog) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(catalog), encoding="utf-8")
    return path


@pytest.fixture
def releases(tmp_path: Path) -> dict[str, Path]:
    """Catalogs of three releases: 1.1 changes a default (a warning), 2.0 removes a
    parameter (breaking)."""
    base = (Parameter("table", "str", "None"), Parameter("mode", "str", "'append'"))
    return {
        "1.0": write(tmp_path, "1.0/catalog.json", Catalog(components=(operator(*base),))),
        "1.1": write(
            tmp_path,
            "1.1/catalog.json",
            Catalog(components=(operator(base[0], Parameter("mode", "str", "'merge'")),)),
        ),
        "2.0": write(tmp_path, "2.0/catalog.json", Catalog(components=(operator(base[0]),))),
    }


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_by_default_and_exit_0_whatever_changed(
    releases: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "diff", releases["1.0"], releases["2.0"])
    assert code == 0
    assert out.startswith("Catalog diff: 1 breaking\n")
    assert "- parameter 'mode' removed  [parameter-removed]" in out


@pytest.mark.parametrize(
    ("new", "fail_on", "code"),
    [
        ("2.0", "breaking", 1),
        ("1.1", "breaking", 0),
        ("1.1", "warning", 1),
        ("2.0", "warning", 1),
        ("2.0", "never", 0),
        ("1.0", "warning", 0),
    ],
)
def test_fail_on_exits_1_for_changes_at_or_above_the_level(
    releases: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    new: str,
    fail_on: str,
    code: int,
) -> None:
    assert run(capsys, "diff", releases["1.0"], releases[new], "--fail-on", fail_on)[0] == code


def test_severity_overrides_change_what_fails(
    releases: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["diff", releases["1.0"], releases["1.1"], "--fail-on", "breaking"]
    code, out, _ = run(capsys, *args, "--severity", "parameter-default-changed=breaking")
    assert (code, out.splitlines()[0]) == (1, "Catalog diff: 1 breaking")
    code, _, _ = run(
        capsys,
        *args,
        "--severity",
        "parameter-default-changed=breaking",
        "--severity",
        "parameter-default-changed=info",
    )
    assert code == 0  # the last one wins


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("parameter-default-changed", "is not ID=LEVEL"),
        ("default-changed=breaking", "unknown change kind 'default-changed'"),
        ("parameter-removed=fatal", "unknown severity 'fatal'"),
    ],
)
def test_a_bad_override_is_a_usage_error(
    releases: dict[str, Path], capsys: pytest.CaptureFixture[str], override: str, message: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["diff", str(releases["1.0"]), str(releases["1.1"]), "--severity", override])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("name", ["json", "markdown"])
def test_other_formats(
    releases: dict[str, Path], capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, _ = run(capsys, "diff", releases["1.0"], releases["2.0"], "--format", name)
    assert code == 0
    if name == "json":
        data = json.loads(out)
        assert (data["schema"], data["worst"]) == (1, "breaking")
        assert [c["kind"] for c in data["changes"]] == ["parameter-removed"]
    else:
        assert out.startswith("**Catalog diff:** 1 breaking\n")
        assert "### Breaking (1)" in out


def test_a_build_folder_means_its_catalog(
    releases: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "diff", releases["1.0"].parent, releases["1.1"].parent)
    assert code == 0
    assert "parameter 'mode' default changed from 'append' to 'merge'" in out


# --- what cannot be read exits 2 ------------------------------------------------------------- ----


def test_a_missing_file_exits_2(
    releases: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "catalog.json"
    code, out, err = run(capsys, "diff", missing, releases["1.0"], "--fail-on", "never")
    assert (code, out) == (2, "")
    assert err == f"error: {missing}: no such file\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a catalog.json (it has no components)"),
        ('{"schema": 1, "components": []}', "catalog schema 1; this sphinx-etl reads schemas 2, 3"),
        ('{"schema": 2, "components": [{"path": "a.B"}]}', "not a valid catalog"),
    ],
)
def test_what_is_not_a_catalog_exits_2(
    releases: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: str,
    message: str,
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "diff", releases["1.0"], bad)
    assert code == 2
    assert err.startswith(f"error: {bad}: ")
    assert message in err


# --- URLs ------------------------------------------------------------------------------------- ---


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment must not stand between the test and localhost.
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def served(tmp_path: Path, releases: dict[str, Path], no_proxy: None) -> Iterator[str]:
    """The releases' folder served over HTTP on localhost; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_catalogs_from_urls(served: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "diff", f"{served}/1.0/catalog.json", f"{served}/2.0/", "--fail-on", "breaking"
    )
    assert code == 1
    assert "parameter 'mode' removed" in out


def test_a_url_and_a_file_compare(
    served: str, releases: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "diff", f"{served}/1.0/", releases["1.0"], "--fail-on", "warning")[0] == 0


def test_a_missing_url_exits_2(served: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "diff", f"{served}/9.9/catalog.json", f"{served}/1.0/")
    assert code == 2
    assert err == f"error: {served}/9.9/catalog.json: HTTP 404 File not found\n"


def test_an_unreachable_url_exits_2(
    no_proxy: None, releases: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = run(capsys, "diff", f"http://127.0.0.1:{port}/catalog.json", releases["1.0"])
    assert code == 2
    assert re.fullmatch(
        rf"error: http://127.0.0.1:{port}/catalog.json: cannot reach it \(.+\)\n", err
    )


def test_a_silent_server_times_out(
    no_proxy: None, releases: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/catalog.json"
        code, _, err = run(capsys, "diff", url, releases["1.0"], "--timeout", "0.2")
    assert code == 2
    assert "no answer within 0.2 seconds" in err or "timed out" in err


# --- end to end, and the docs ----------------------------------------------------------------- ---


def test_the_installed_command_exits_with_the_documented_codes(releases: dict[str, Path]) -> None:
    command = [sys.executable, "-m", "sphinxext_etl", "diff", "--fail-on", "breaking"]
    breaking = subprocess.run([*command, str(releases["1.0"]), str(releases["2.0"])], check=False)
    missing = subprocess.run(
        [*command, str(releases["1.0"]), "missing.json"], capture_output=True, check=False
    )
    assert (breaking.returncode, missing.returncode) == (1, 2)


def test_the_docs_list_every_kind_with_its_severity() -> None:
    text = DOCS.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\s+\* - ``([a-z-]+)``\n\s+- (\w+)", text, re.M))
    assert rows == {kind.id: kind.severity.value for kind in CHANGE_KINDS}


def test_deprecations_reach_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write(tmp_path, "old.json", Catalog(components=(operator(),)))
    new = write(
        tmp_path, "new.json", Catalog(components=(operator(deprecation=Deprecation("Gone soon.")),))
    )
    code, out, _ = run(capsys, "diff", old, new, "--fail-on", "warning")
    assert code == 1
    assert "operator LoadOperator deprecated: Gone soon.  [component-deprecated]" in out
