"""A time budget per validation: every engine that can take long gets only what is left of it.

hadolint runs with a timeout of the remaining budget (at most ``HADOLINT_CAP_SECONDS``); checkov and
detect-secrets wait for their process-wide locks at most the remaining budget. An engine that cannot
finish within it becomes an ``inconclusive`` finding (high: it blocks where high blocks, it is reported
in dev), never an error: the caller always gets an answer, and one request cannot hold the others for
ever.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from agentic_checks.findings import Finding

DEFAULT_BUDGET_SECONDS = 60.0
HADOLINT_CAP_SECONDS = 30.0
INCONCLUSIVE = "inconclusive"


@dataclass
class Budget:
    seconds: float = DEFAULT_BUDGET_SECONDS
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def remaining(self) -> float:
        return max(0.0, self.started + self.seconds - self.clock())


def inconclusive(engine: str, path: str, why: str) -> Finding:
    return Finding(
        check=INCONCLUSIVE,
        tool="policy",
        severity="high",
        message=f"{engine} did not finish: {why}; the result is inconclusive",
        file=path,
        remediation="validate again when the service is less busy, or send a smaller input",
    )
