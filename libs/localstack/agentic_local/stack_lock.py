"""One stack per AGENTIC_HOME: a lock held for as long as the stack runs.

The lock (``flock`` on ``<home>/stack.lock``) is released by the kernel when its holder exits, even on
``kill -9``, so a stale ``stack.json`` never blocks a start and a live one is never overwritten.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import IO


class StackRunningError(RuntimeError):
    """Another stack holds this home; the message is the one line to print."""


def describe_running(home: Path) -> str:
    try:
        info = json.loads((home / "stack.json").read_text())
        where = f"its API is {info['api_url']} (pid {info['pid']})"
    except (OSError, ValueError, KeyError, TypeError):
        where = "it is still starting"
    return (
        f"Agentic DevOps already runs on {home}: {where}. Stop it (Ctrl-C in its terminal) "
        "or start another one with a different AGENTIC_HOME."
    )


class StackLock:
    def __init__(self, home: Path) -> None:
        self.home = home
        self._file: IO[str] | None = None

    def acquire(self) -> StackLock:
        self.home.mkdir(parents=True, exist_ok=True)
        handle = (self.home / "stack.lock").open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StackRunningError(describe_running(self.home)) from None
        os.set_inheritable(handle.fileno(), False)  # children must not keep the home locked
        self._file = handle
        return self

    @property
    def held(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
