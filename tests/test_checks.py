"""Agreement checks: every shipped rule fires on its bad example only, custom rules, statuses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.util.console import strip_colors

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

#: rule -> (the component that breaks it, a line of the warning's location)
BROKEN_BY = {
    "docstring-required": "rules_pkg.operators.UndocumentedOperator",
    "params-documented": "rules_pkg.operators.UndocumentedParamOperator",
    "templated-fields-are-params": "rules_pkg.operators.PhantomTemplateOperator",
    "transfer-naming": "rules_pkg.transfers.copy.CopyEverything",
    "hook-connection-declared": "rules_pkg.hooks.AnonymousHook",
    "no-hook-in-init": "rules_pkg.operators.HookInInitOperator",
    "execute-documented": "rules_pkg.operators.SilentExecuteOperator",
}


def agreement_warnings(app: SphinxTestApp) -> list[str]:
    lines = strip_colors(app.warning.getvalue()).splitlines()
    return [w for w in lines if "[etl.agreement]" in w]


def broken(app: SphinxTestApp, rule: str) -> set[str]:
    """Components reported as breaking ``rule``."""
    return {
        w.split(" WARNING: ")[1].split()[0] for w in agreement_warnings(app) if f"({rule})" in w
    }


@pytest.mark.parametrize("rule", sorted(BROKEN_BY))
@pytest.mark.sphinx("html", testroot="agreements-checks")
def test_shipped_rule_fires_on_bad_example_only(app: SphinxTestApp, rule: str) -> None:
    app.build()
    assert broken(app, rule) == {BROKEN_BY[rule]}


@pytest.mark.sphinx("html", testroot="agreements-checks")
def test_violation_is_located_at_source_and_cites_agreement(app: SphinxTestApp) -> None:
    app.build()
    line = next(w for w in agreement_warnings(app) if "(no-hook-in-init)" in w)
    location, message = line.split(": WARNING: ")
    path, lineno = location.rsplit(":", 1)
    assert path.endswith("rules_pkg/operators.py")
    source = Path(path).read_text(encoding="utf-8").splitlines()
    assert "GoodHook(" in source[int(lineno) - 1]
    assert 'agreement CHK-001 "Everything keeps the shipped rules"' in message


@pytest.mark.sphinx("html", testroot="agreements-checks")
def test_custom_rule_from_conf_py_runs_in_scope(app: SphinxTestApp) -> None:
    app.build()
    assert broken(app, "acme-prefix") == {"rules_pkg.operators.GoodOperator"}
    assert any("CHK-002" in w and "does not start with Acme" in w for w in agreement_warnings(app))


@pytest.mark.sphinx("html", testroot="agreements-checks")
def test_draft_agreement_is_not_enforced(app: SphinxTestApp) -> None:
    app.build()
    assert not any("CHK-003" in w for w in agreement_warnings(app))


@pytest.mark.sphinx("html", testroot="agreements-checks", freshenv=True)
def test_unknown_rule_warns_at_the_directive(app: SphinxTestApp) -> None:
    app.build()
    line = next(w for w in agreement_warnings(app) if "no-such-rule" in w)
    assert "index.rst:" in line.split(": WARNING")[0]
    assert "CHK-004: unknown rule 'no-such-rule'" in line


@pytest.mark.sphinx("html", testroot="agreements-checks")
def test_violations_warn_again_on_an_unchanged_rebuild(app: SphinxTestApp) -> None:
    app.build()
    first = len(agreement_warnings(app))
    app.warning.truncate(0)
    app.warning.seek(0)
    app.build()
    assert len(agreement_warnings(app)) == first > 0
