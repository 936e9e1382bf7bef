"""Polling with capped exponential backoff and a deadline, for runs and syncs that take minutes;
``Deadline``: the time a whole deploy (checkout, install, start) must end by."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from agentic_deployment.ports import DeployError


@dataclass
class Backoff:
    first: float = 1.0
    factor: float = 1.5
    cap: float = 15.0
    timeout: float = 1800.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def waits(self, what: str) -> Iterator[None]:
        """Yields before each poll; raises a retryable DeployError once ``timeout`` has passed."""
        deadline, delay = self.clock() + self.timeout, self.first
        while True:
            yield
            if self.clock() + delay > deadline:
                raise DeployError(f"{what} did not finish within {self.timeout:.0f} s")
            self.sleep(delay)
            delay = min(delay * self.factor, self.cap)


@dataclass(frozen=True)
class Deadline:
    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def remaining(self) -> float:
        return max(self.at - time.monotonic(), 0.0)
