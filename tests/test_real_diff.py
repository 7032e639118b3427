"""``sphinx-etl diff`` on two real catalogs: apache-airflow-providers-slack 8.9.1 (October 2024)
and 9.4.0 (October 2025), each read live on Airflow 3.3.2 by ``scripts/provider_catalog.py``
(the commands are in its docstring). Every breaking entry was checked by hand against the source
of both wheels (``pip download --no-deps apache-airflow-providers-slack==V``) and by
constructing the operators on each release."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sphinxext_etl import cli
from sphinxext_etl.model import loads

CATALOGS = Path(__file__).parent / "fixtures" / "catalogs"
OLD = CATALOGS / "slack-8.9.1.json"
NEW = CATALOGS / "slack-9.4.0.json"
OPERATORS = "airflow.providers.slack.operators.slack"
TRANSFERS = "airflow.providers.slack.transfers"

Entry = tuple[str, str, str]

#: ``(kind id, component path, parameter)`` of every breaking change between the two releases.
VERIFIED_BREAKING: frozenset[Entry] = frozenset(
    {
        # transfers/sql_to_slack.py: 8.9.1 defines SqlToSlackOperator (an @deprecated subclass
        # of SqlToSlackWebhookOperator); 9.4.0 does not, and the import fails.
        ("component-removed", f"{TRANSFERS}.sql_to_slack.SqlToSlackOperator", ""),
        # operators/slack.py, SlackAPIFileOperator.__init__: 8.9.1 takes `channel=NOTSET`, a
        # deprecated alias of `channels`; 9.4.0 has no `channel`, and BaseOperator rejects it
        # ("Invalid arguments were passed to SlackAPIFileOperator").
        ("parameter-removed", f"{OPERATORS}.SlackAPIFileOperator", "channel"),
        # operators/slack.py, SlackAPIOperator.__init__: `method: str | None = None` (leaving it
        # empty warned AirflowProviderDeprecationWarning) in 8.9.1, `method: str` in 9.4.0;
        # SlackAPIOperator(task_id=...) now raises "missing keyword argument 'method'".
        ("parameter-became-required", f"{OPERATORS}.SlackAPIOperator", "method"),
        # transfers/sql_to_slack_webhook.py, SqlToSlackWebhookOperator.__init__: 8.9.1 takes
        # `slack_conn_id=NOTSET`, a deprecated alias of `slack_webhook_conn_id`; 9.4.0 does not,
        # and BaseOperator rejects it.
        (
            "parameter-removed",
            f"{TRANSFERS}.sql_to_slack_webhook.SqlToSlackWebhookOperator",
            "slack_conn_id",
        ),
    }
)


def run_diff(capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    code = cli.main(["diff", str(OLD), str(NEW), *options])
    return code, capsys.readouterr().out


def breaking_in_json(capsys: pytest.CaptureFixture[str]) -> set[Entry]:
    code, out = run_diff(capsys, "--format", "json")
    assert code == 0
    changes: list[dict[str, Any]] = json.loads(out)["changes"]
    return {
        (c["kind"], c["component"], c["parameter"] or "")
        for c in changes
        if c["severity"] == "breaking"
    }


def test_fixtures_are_live_reads_of_the_slack_provider_alone() -> None:
    # A module read statically (say, for a missing optional dependency) would give parameters
    # without their base classes' ones: removals that are not real.
    for path, version in ((OLD, "8.9.1"), (NEW, "9.4.0")):
        catalog = loads(path.read_text(encoding="utf-8"))
        assert [(p.name, p.version) for p in catalog.providers] == [
            ("apache-airflow-providers-slack", version)
        ]
        assert catalog.components
        assert {c.owner for c in catalog.components} == {"apache-airflow-providers-slack"}
        assert not [c.path for c in catalog.components if c.static]


def test_json_breaking_entries_are_exactly_the_verified_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert breaking_in_json(capsys) == VERIFIED_BREAKING


def test_text_report_lists_the_same_breaking_entries(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_diff(capsys)
    assert code == 0
    section = out.split("\nBREAKING (", 1)[1].split("\n\n", 1)[0]
    found: set[Entry] = set()
    component = ""
    for line in section.splitlines()[1:]:
        change = re.fullmatch(r" {6}- (.*)  \[([a-z-]+)\]", line)
        if change:
            named = re.search(r"parameter '(\w+)'", change[1])
            found.add((change[2], component, named[1] if named else ""))
        elif re.fullmatch(r" {4}\S+", line):
            component = line.strip()
    assert found == VERIFIED_BREAKING


def test_fail_on_breaking_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_diff(capsys, "--fail-on", "breaking")
    assert code == 1
    assert out.startswith("Catalog diff: 4 breaking,")


def test_markdown_names_each_breaking_change(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_diff(capsys, "--format", "markdown", "--fail-on", "breaking")
    assert code == 1
    table = out.split("### Breaking (", 1)[1].split("\n\n### ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| apache-airflow-")]
    assert len(rows) == len(VERIFIED_BREAKING)
    for kind, component, parameter in VERIFIED_BREAKING:
        # Markdown escapes underscores outside code spans.
        named = f"parameter '{parameter}'".replace("_", r"\_") if parameter else "removed"
        assert any(
            f"`{component}`" in row and named in row and row.endswith(f"| `{kind}` |")
            for row in rows
        ), (kind, component, parameter)
