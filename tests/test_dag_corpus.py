"""Real DAG files this project did not write, Airflow's own examples (the core's and the standard
provider's: loops, factories, task groups, mapping, branches, labels, setup and teardown,
assets), read in import mode exactly as Airflow's DagBag reads them: every DAG, task and edge.
``scripts/check_dags.py`` is the same check a team can run on its own DAG folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "scripts" / "check_dags.py"


def test_airflows_own_example_dags_are_read_exactly_as_dagbag_reads_them(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--examples", "--static"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "AIRFLOW_HOME": str(tmp_path)},
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.findall(r"import mode: (\d+) of (\d+) DAGs exactly right", done.stdout)
    assert len(found) == 2, done.stdout  # the core's examples and the standard provider's
    assert all(right == total and int(total) > 10 for right, total in found), done.stdout
