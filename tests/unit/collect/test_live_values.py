"""Defaults are read as text that does not depend on the process that read them."""

from __future__ import annotations

import os
import subprocess
import sys

from sphinxext_etl.collect.live import text_of_default


def test_a_set_default_reads_the_same_in_every_process() -> None:
    """A set's repr follows string hashes, which every process seeds afresh: the text sorts
    its members, so workers and rebuilds agree."""
    code = (
        "from sphinxext_etl.collect.live import text_of_default;"
        "print(text_of_default(frozenset({'STARTED', 'CREATED', 'RUNNING'})),"
        " text_of_default({'b', 'a'}))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert seen == {"frozenset({'CREATED', 'RUNNING', 'STARTED'}) {'a', 'b'}\n"}


def test_other_defaults_keep_their_repr() -> None:
    assert text_of_default({"b": 1, "a": 2}) == "{'b': 1, 'a': 2}"
    assert text_of_default(frozenset()) == "frozenset()"
    assert text_of_default(None) == "None"
