"""Ctrl-C stops a local process even when it started with SIGINT ignored; SIGUSR1 writes its stacks."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys

import pytest
from agentic_local.process_signals import ask_for_stacks

from tests.helpers import ignore_sigint

WAITS = """
import threading, time
from agentic_local.process_signals import dump_stacks_on_sigusr1
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


INTERRUPTIBLE = """
import time
from agentic_local.process_signals import ctrl_c_stops
if {restore}:
    ctrl_c_stops()
print("ready", flush=True)
time.sleep(30)
"""


@pytest.mark.parametrize("restore", [True, False])
def test_ctrl_c_stops_a_process_started_with_sigint_ignored_only_once_it_restores_the_handler(
    restore: bool,
) -> None:
    # Given a process started as a script's background job starts it: SIGINT ignored
    process = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE.format(restore=restore)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ignore_sigint,  # noqa: PLW1509 - only sets a signal disposition
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        # When Ctrl-C reaches it
        process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
        # Then it stops with KeyboardInterrupt if it restored the handler, and runs on if it did not
        assert (process.poll() is not None) is restore
    finally:
        process.kill()
        _, stderr = process.communicate()
    assert ("KeyboardInterrupt" in stderr) is restore
