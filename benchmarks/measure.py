"""Run one command and measure it: wall time, exit code and the peak memory of its process tree.

Memory is sampled every ``interval`` seconds while the command runs: the PSS (proportional set
size, from ``/proc/<pid>/smaps_rollup``) of the command's process and of all its descendants
alive at that moment, summed. PSS splits a page shared by N processes into N parts, so the sum
counts the copy-on-write pages of ``sphinx-build -j`` workers (or of introspection workers) once,
not once per process. The reported peak is the largest sum seen. ``max_rss_mb`` is the kernel's
figure for the largest single process (``ru_maxrss``), for comparison with older results.

``marks`` times the command's phases from its own output: at every sample, the log's new bytes
are searched for each mark (a Sphinx progress line such as ``looking for now-outdated files``),
and the time of its first appearance is kept. The command must not buffer its output
(``PYTHONUNBUFFERED=1``), or a mark is seen when the buffer is flushed.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

INTERVAL = 0.2


@dataclass(frozen=True)
class Measured:
    seconds: float
    exit_code: int
    #: Largest sum of PSS over the process tree, in MB (0 where /proc has no smaps_rollup).
    peak_pss_mb: float
    #: Most processes alive in the tree at one sample.
    peak_processes: int
    #: Largest resident set of any single process of the tree, in MB.
    max_rss_mb: float
    #: Seconds from the start to the first appearance of each mark found in the output.
    marks: dict[str, float] = field(default_factory=dict)


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                text = stat.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields start after the last ")".
        parent = int(text[text.rfind(b")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    """``root`` and every process descended from it."""
    children = _children_by_parent()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def pss_kb(pid: int) -> int:
    """A process's PSS in kB; 0 once it has gone (or is a zombie)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class LogMarks:
    """The time each mark first appears in a growing log, since ``started``."""

    def __init__(self, log: Path, marks: Sequence[tuple[str, bytes]], started: float) -> None:
        self.log, self.marks, self.started = log, marks, started
        self.seen: dict[str, float] = {}
        self._offset = 0
        self._tail = b""

    def scan(self) -> None:
        if len(self.seen) == len(self.marks):
            return
        with self.log.open("rb") as text:
            text.seek(self._offset)
            new = text.read()
        now = round(time.perf_counter() - self.started, 1)
        self._offset += len(new)
        # A mark may straddle two reads: keep the end of the last one.
        window = self._tail + new
        longest = max(len(mark) for _, mark in self.marks)
        self._tail = window[-longest:]
        for name, mark in self.marks:
            if name not in self.seen and mark in window:
                self.seen[name] = now


class TreeSampler(threading.Thread):
    """Samples the PSS of a process tree until :meth:`stop`; keeps the largest sum."""

    def __init__(self, root: int, interval: float = INTERVAL, log: LogMarks | None = None) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.log = log
        self.peak_kb = 0
        self.peak_processes = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.is_set():
            self.sample()
            if self.log is not None:
                self.log.scan()
            self._stopped.wait(self.interval)

    def sample(self) -> None:
        tree = process_tree(self.root)
        sizes = [pss_kb(pid) for pid in tree]
        self.peak_kb = max(self.peak_kb, sum(sizes))
        self.peak_processes = max(self.peak_processes, sum(1 for size in sizes if size))

    def stop(self) -> None:
        self._stopped.set()
        self.join()


def run(
    command: Sequence[str],
    *,
    log: Path,
    cwd: Path,
    env: dict[str, str] | None = None,
    interval: float = INTERVAL,
    marks: Sequence[tuple[str, bytes]] = (),
) -> Measured:
    """Run ``command`` with stdout and stderr in ``log`` (a file, not a pipe: a chatty build
    would fill a pipe and block) and measure it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), stdout=output, stderr=subprocess.STDOUT, cwd=cwd, env=env
        )
        marked = LogMarks(log, marks, started) if marks else None
        sampler = TreeSampler(process.pid, interval, marked)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            sampler.stop()
        seconds = time.perf_counter() - started
    if marked is not None:
        marked.scan()  # what the last interval wrote
    # Popen must not wait for a process wait4 already reaped.
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        seconds=seconds,
        exit_code=process.returncode,
        peak_pss_mb=sampler.peak_kb / 1024,
        peak_processes=sampler.peak_processes,
        max_rss_mb=usage.ru_maxrss / 1024,
        marks=marked.seen if marked is not None else {},
    )
