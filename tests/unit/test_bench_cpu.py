"""bench/cpu.py: the CPU of a process tree, and of each part of the local stack, read from /proc."""

from __future__ import annotations

import os
import signal
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
    # Given an unlabelled process (a bench of its own: this test's worker may run other parts, such as
    # the local AWS of other tests) that runs a part of the stack, whose own child burned 0.3 s of CPU
    # (the part's code goes by the environment: in its command line the bench would be labelled too)
    launch = "import os, subprocess, sys\nsubprocess.run([sys.executable, '-c', os.environ['PART']])"
    bench = subprocess.Popen(
        [sys.executable, "-c", launch], env={**os.environ, "PART": PART}, start_new_session=True
    )
    try:
        while tree_cpu_by_part(bench.pid).get("demo-part", 0.0) < 0.3:
            assert bench.poll() is None, "the part ended early"
            time.sleep(0.05)
        # Then the whole tree counts it, and the breakdown puts it under the part, not under the bench
        by_part = tree_cpu_by_part(bench.pid)
        assert by_part["demo-part"] >= 0.3
        assert tree_cpu_seconds(bench.pid) >= by_part["demo-part"]
        assert set(by_part) == {"bench", "demo-part"}
        assert by_part["bench"] < 0.3
    finally:
        os.killpg(bench.pid, signal.SIGKILL)  # the bench and the part it runs
        bench.wait()
