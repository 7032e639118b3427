"""Which hooks a class uses: a hook imported inside a method is found, and a library imported
there is not imported just to look."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

OPERATOR = """
from airflow.sdk import BaseOperator


class ExportOperator(BaseOperator):
    def execute(self, context):
        from airflow.providers.http.hooks.http import HttpHook
        from heavylib import Frame
        from teampkg.helpers import to_rows

        return to_rows(Frame(HttpHook().run("export")))
"""

PROBE = """
import ast, json, sys
from sphinxext_etl.collect import ast_facts, hooks_used
from sphinxext_etl.collect.airflow import airflow_bases
from teampkg.ops import ExportOperator
tree = ast_facts.parse_file(sys.modules["teampkg.ops"].__file__)
node = next(n for n in tree.body if isinstance(n, ast.ClassDef))
used = hooks_used.hooks_used(ExportOperator, {ExportOperator: node}, airflow_bases())
imported = sorted({"heavylib", "teampkg.helpers"} & set(sys.modules))
print(json.dumps({"used": used, "imported": imported}))
"""


def test_a_hook_imported_in_a_method_is_found_and_libraries_are_left_alone(
    tmp_path: Path,
) -> None:
    (tmp_path / "teampkg").mkdir()
    (tmp_path / "teampkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "teampkg" / "ops.py").write_text(OPERATOR, encoding="utf-8")
    (tmp_path / "teampkg" / "helpers.py").write_text("def to_rows(x): ...\n", encoding="utf-8")
    # Importing it is slow and visible (pandas.io took 1.8 s in each provider's worker).
    (tmp_path / "heavylib.py").write_text("class Frame: ...\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["used"] == ["airflow.providers.http.hooks.http.HttpHook"]
    # Neither a library outside Airflow and the class's package, nor a function's module.
    assert found["imported"] == []
