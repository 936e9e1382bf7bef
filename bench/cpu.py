"""CPU time of a process tree, read from /proc: the floor of work that runs side by side.

N workflows at once on C cores cannot end before N x (CPU seconds one workflow uses) / C, whatever the
platform does with its queues: that is the floor the 12-at-once figure is compared with, beside one
golden path's own time. The tree is the bench's process and everything under it (the local stack, its
services, the Lambda runners, the deployed services and the tools they run). A child that ended counts
once its parent waited for it (``cutime``/``cstime``); one that ended unwaited is lost, so the figure can
only be an underestimate of the work, never an overestimate.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its waited-for children), or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) ": state is fields[0]
    parent = int(fields[1])
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return parent, (utime + stime + cutime + cstime) / TICKS


def tree_cpu_seconds(root: int | None = None) -> float:
    """CPU seconds used so far by ``root`` (default: this process) and every process below it."""
    root = root if root is not None else os.getpid()
    parents: dict[int, int] = {}
    seconds: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)], seconds[int(entry.name)] = stat
    children: dict[int, list[int]] = defaultdict(list)
    for pid, parent in parents.items():
        children[parent].append(pid)
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += seconds.get(pid, 0.0)
        stack.extend(children.get(pid, ()))
    return total


def cores() -> int:
    return len(os.sched_getaffinity(0))
