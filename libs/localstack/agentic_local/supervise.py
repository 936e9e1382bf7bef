"""When a child of the local stack dies: restart it after a growing pause, or give up past a bound.

Pure rules, no processes: the stack asks ``on_exit`` what to do and says why in one line.
"""

from __future__ import annotations

import signal
from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RestartRule:
    """At most ``max_restarts`` restarts within ``window_seconds``; the pause doubles from ``first_pause``."""

    max_restarts: int = 5
    window_seconds: float = 300.0
    first_pause: float = 0.5
    max_pause: float = 30.0


@dataclass
class RestartHistory:
    rule: RestartRule
    restarts: deque[float] = field(default_factory=deque)
    total: int = 0

    def on_exit(self, now: float) -> float | None:
        """The pause before the next restart, or None when the child died too often to go on."""
        while self.restarts and now - self.restarts[0] > self.rule.window_seconds:
            self.restarts.popleft()
        if len(self.restarts) >= self.rule.max_restarts:
            return None
        pause: float = min(self.rule.first_pause * 2.0 ** len(self.restarts), self.rule.max_pause)
        self.restarts.append(now)
        self.total += 1
        return pause

    @property
    def recent(self) -> int:
        return len(self.restarts)


def describe_exit(code: int) -> str:
    """``exit code 1`` or ``killed by SIGKILL`` (a negative Popen return code is the signal)."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
