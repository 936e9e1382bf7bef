"""A local process that registered for it writes every thread's stack to stderr on SIGUSR1 and runs on."""

from __future__ import annotations

import subprocess
import sys

from agentic_local.stack_dump import ask_for_stacks

WAITS = """
import threading, time
from agentic_local.stack_dump import dump_stacks_on_sigusr1
dump_stacks_on_sigusr1()
def stuck_in_a_thread():
    time.sleep(60)
threading.Thread(target=stuck_in_a_thread, name="stuck").start()
print("ready", flush=True)
time.sleep(60)
"""


def test_sigusr1_writes_where_each_thread_waits_and_the_process_keeps_running() -> None:
    # Given a process that registered, with a thread waiting
    process = subprocess.Popen(
        [sys.executable, "-c", WAITS], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        # When it is asked for its stacks
        ask_for_stacks([process.pid])
        # Then it still runs, and its stderr names the waiting thread's function
        assert process.poll() is None
    finally:
        process.kill()
        _, stderr = process.communicate()
    assert "stuck_in_a_thread" in stderr
    assert "Current thread" in stderr or "Thread 0x" in stderr


def test_asking_a_process_that_is_gone_is_not_an_error() -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    ask_for_stacks([process.pid], settle_seconds=0)
