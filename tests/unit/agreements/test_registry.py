"""The shipped rules are registered by the agreements' ``setup`` itself, not because some
other module happens to import theirs first, and an agreement's check reads the source as
it is now."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sphinxext_etl.agreements import load_shipped_rules
from sphinxext_etl.agreements.registry import RULES
from sphinxext_etl.model import Catalog, Component, Kind

SHIPPED = {
    "docstring-required": "components",
    "params-documented": "components",
    "templated-fields-are-params": "components",
    "transfer-naming": "components",
    "hook-connection-declared": "components",
    "no-hook-in-init": "components",
    "execute-documented": "components",
    "dag-has-doc": "dags",
    "no-deprecated-in-dags": "dags",
    "dag-uses-platform-operators": "dags",
}

#: Run in a fresh interpreter: in this one, other tests have imported the rule modules.
REGISTERED_BY_SETUP = """
import json
from unittest.mock import MagicMock

import sphinxext_etl.agreements
from sphinxext_etl.agreements.registry import RULES

sphinxext_etl.agreements.setup(MagicMock())
print(json.dumps({name: rule.target.value for name, rule in RULES.items()}))
"""


def test_setup_registers_every_shipped_rule() -> None:
    done = subprocess.run(
        [sys.executable, "-c", REGISTERED_BY_SETUP], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.splitlines()[-1]) == SHIPPED


def test_a_check_run_again_reads_the_edited_source(tmp_path: Path) -> None:
    """In one process (``sphinx-autobuild``), the line of a violation follows the edit."""
    module = tmp_path / "ops.py"
    module.write_text(
        "class LoadOperator:\n    def execute(self, context):\n        pass\n", encoding="utf-8"
    )
    operator = Component(
        "ops.LoadOperator", Kind.OPERATOR, "ops", in_house=True, source_file=str(module)
    )
    load_shipped_rules()
    check = RULES["execute-documented"]
    assert [v.line for v in check(operator, Catalog())] == [2]
    module.write_text(
        "class LoadOperator:\n    retries = 2\n\n    def execute(self, context):\n        pass\n",
        encoding="utf-8",
    )
    assert [v.line for v in check(operator, Catalog())] == [4]
