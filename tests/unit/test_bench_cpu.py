"""bench/cpu.py: the CPU of a process tree, and of each part of the local stack, read from /proc."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from cpu import tree_cpu_by_part, tree_cpu_seconds

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
# a part of the stack (its command line names it) that runs a tool of its own, which burns CPU and waits
PART = (
    "import subprocess, sys, time  # agentic_local.serve demo-part\n"
    f"subprocess.run([sys.executable, '-c', {BURN!r}], check=True)\n"
    "time.sleep(30)\n"
)


def test_a_child_tools_cpu_counts_under_the_part_that_ran_it() -> None:
    # Given a process labelled as a part of the stack, whose own child burned 0.3 s of CPU and ended
    part = subprocess.Popen([sys.executable, "-c", PART])
    try:
        while tree_cpu_by_part().get("demo-part", 0.0) < 0.3:
            assert part.poll() is None, "the part ended early"
            time.sleep(0.05)
        # Then the whole tree counts it, and the breakdown puts it under the part, not under this process
        by_part = tree_cpu_by_part()
        assert by_part["demo-part"] >= 0.3
        assert tree_cpu_seconds() >= by_part["demo-part"]
        assert set(by_part) == {"bench", "demo-part"}
    finally:
        part.kill()
        part.wait()
