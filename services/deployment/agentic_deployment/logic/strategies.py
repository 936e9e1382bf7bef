"""The steps of each release strategy: which share of traffic the new version gets, and which are gated.

- rolling (default): the new version takes all traffic once healthy; the old one stops.
- canary: 10% → 50% → 100%, each step gated by the SLO on the new version's own measurements.
- blue-green: green (the new version) is probed on its own while blue keeps all traffic; once green
  passes its gate, all traffic switches at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentic_deployment.ports import Strategy


@dataclass(frozen=True)
class Step:
    weight: int  # percent of traffic to the new version
    gated: bool
    pinned: bool = False  # probe the new version directly, before it takes traffic

    @property
    def label(self) -> str:
        return "preview (0% of traffic)" if self.pinned else f"{self.weight}% of traffic"


CANARY_WEIGHTS = (10, 50, 100)


def steps_for(strategy: Strategy, has_previous: bool) -> tuple[Step, ...]:
    """With no earlier version to share traffic with, a gated strategy gates the new version at 100%."""
    if strategy == "rolling":
        return (Step(100, gated=False),)
    if not has_previous:
        return (Step(100, gated=True),)
    if strategy == "canary":
        return tuple(Step(weight, gated=True) for weight in CANARY_WEIGHTS)
    return (Step(0, gated=True, pinned=True), Step(100, gated=False))


def probe_count(step: Step, wanted: int) -> int:
    """Requests to send so that the new version answers at least ``wanted`` of them (the split is exact)."""
    if step.pinned or step.weight >= 100:
        return wanted
    return -(-wanted * 100 // step.weight)
