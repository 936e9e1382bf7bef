"""``kill -USR1 <pid>`` makes a local process write every thread's stack to its stderr (its log).

A process of the local stack that does not stop when asked is explained by where its threads wait;
the tests that stop processes send SIGUSR1 before they give up, so a hang fails with its stacks.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import time


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
