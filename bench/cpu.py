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
import re
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


# what a process of the local stack is, from its command line (first match wins)
PARTS = (
    (re.compile(r"agentic_local\.serve (\S+)"), r"\1"),
    (re.compile(r"agentic_local\.moto_launcher|moto_server"), "local AWS (moto)"),
    (re.compile(r"agentic_cli\.main up"), "stack supervisor"),
)


def _label(pid: int) -> str | None:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    for pattern, label in PARTS:
        if found := pattern.search(command):
            return found.expand(label)
    return None


def _tree(root: int) -> dict[int, tuple[int, float]]:
    """pid → (parent, CPU seconds) for ``root`` and every process below it."""
    pids = [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    stats = {pid: stat for pid in pids if (stat := _stat(pid)) is not None}
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (parent, _) in stats.items():
        children[parent].append(pid)
    found, stack = {}, [root]
    while stack:
        pid = stack.pop()
        if pid in stats:
            found[pid] = stats[pid]
        stack.extend(children.get(pid, ()))
    return found


def tree_cpu_seconds(root: int | None = None) -> float:
    """CPU seconds used so far by ``root`` (default: this process) and every process below it."""
    return sum(seconds for _, seconds in _tree(root if root is not None else os.getpid()).values())


def tree_cpu_by_part(root: int | None = None) -> dict[str, float]:
    """The same, by part of the local stack: a process counts under its own label (``PARTS``), or else
    under its nearest labelled ancestor's (a deployed service and the tools a worker runs count as that
    worker's); what has no labelled ancestor counts as ``bench``."""
    root = root if root is not None else os.getpid()
    tree = _tree(root)
    labels: dict[int, str] = {}

    def label_of(pid: int) -> str:
        if pid not in labels:
            own = _label(pid)
            parent = tree[pid][0] if pid in tree else None
            labels[pid] = own or (label_of(parent) if pid != root and parent in tree else "bench")
        return labels[pid]

    parts: dict[str, float] = defaultdict(float)
    for pid, (_, seconds) in tree.items():
        parts[label_of(pid)] += seconds
    return dict(parts)


def cores() -> int:
    return len(os.sched_getaffinity(0))
