"""Signals of the local stack's processes: Ctrl-C always stops them; SIGUSR1 shows where they wait.

``ctrl_c_stops()``: a process started as a background job of a non-interactive shell (``cmd &`` in a
script, CI) inherits SIGINT *ignored*, and Python then installs no KeyboardInterrupt handler: `agentic up`
went on supervising after Ctrl-C reached its process group and restarted every service that had stopped.
`agentic up` and every service put Python's handler back first thing, so Ctrl-C (``kill -INT``) stops them
however they were started.

``kill -USR1 <pid>`` makes a process write every thread's stack to its stderr (its log). The tests that
stop processes send it before they give up, so a hang fails with its stacks.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import time


def ctrl_c_stops() -> None:
    """Ctrl-C raises KeyboardInterrupt here even if SIGINT was ignored when the process started."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def dump_stacks_on_sigusr1() -> None:
    faulthandler.register(signal.SIGUSR1, all_threads=True)


def ask_for_stacks(pids: list[int], settle_seconds: float = 1.0) -> None:
    """Send SIGUSR1 to each live pid (those that registered write their stacks), then let them write."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGUSR1)
        except ProcessLookupError:
            continue
    time.sleep(settle_seconds)
