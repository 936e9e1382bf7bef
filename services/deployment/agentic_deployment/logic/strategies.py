"""The steps of each release strategy: which share of traffic the new version gets at each step.

Every step is gated: the new version's own measurements are judged on the SLO before the next step.

- rolling (default): the new version takes all traffic at once, judged at 100%; the old one stops after.
- canary: 10% → 50% → 100%.
- blue-green: green (the new version) is probed on its own while blue keeps all traffic; once green
  passes, all traffic switches at once and green is judged again at 100%.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentic_deployment.logic.step_gate import step_label
from agentic_deployment.ports import Strategy


@dataclass(frozen=True)
class Step:
    weight: int  # percent of traffic to the new version
    pinned: bool = False  # probe the new version directly, before it takes traffic

    @property
    def label(self) -> str:
        return step_label(self.weight, self.pinned)


CANARY_WEIGHTS = (10, 50, 100)


def steps_for(strategy: Strategy, has_previous: bool) -> tuple[Step, ...]:
    """With no earlier version to share traffic with, every strategy judges the new version at 100%."""
    if strategy == "rolling" or not has_previous:
        return (Step(100),)
    if strategy == "canary":
        return tuple(Step(weight) for weight in CANARY_WEIGHTS)
    return (Step(0, pinned=True), Step(100))


def probe_count(step: Step, wanted: int) -> int:
    """Requests to send so that the new version answers at least ``wanted`` of them (the split is exact)."""
    if step.pinned or step.weight >= 100:
        return wanted
    return -(-wanted * 100 // step.weight)
