"""What a worker process that failed leaves behind, read the same way for both pools: its exit
code in words, and the lines of a file that its stack names."""

from __future__ import annotations

import re
import signal
from pathlib import Path

_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)', re.MULTILINE)


def exit_text(code: int | None) -> str:
    """``exit code -11, SIGSEGV``: a dead process's exit code, with its signal's name."""
    if code is not None and code < 0 and -code in signal.valid_signals():
        return f"exit code {code}, {signal.Signals(-code).name}"
    return f"exit code {code}"


def lines_in(stack: str, file: Path | str) -> list[int]:
    """The lines of ``file`` that a stack (a traceback, or what faulthandler wrote) names,
    in the stack's order."""
    file = Path(file).resolve()
    return [int(m["line"]) for m in _FRAME.finditer(stack) if Path(m["file"]).resolve() == file]
