"""The objective a running deployment is held to: its environment's row of the one environment table,
made stricter (never weaker) by the SLO the service declared, the one its verification used.

The merge is ``agentic_common.environments.effective_gate``, the same answer rollout steps get.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from agentic_common.environments import UnknownEnvironmentError
from agentic_common.environments.gates import GateConfigError, effective_gate
from agentic_common.events.observability import Slo

from agentic_observability.logic.evidence import Objective
from agentic_observability.ports import DeclaredObjectives, DeploymentRow

log = logging.getLogger(__name__)


def objective_for(environment: str, declared: Slo | None = None) -> Objective | None:
    """None for an environment the table does not declare (nothing may act there)."""
    try:
        floor = effective_gate({}, environment).slo
    except UnknownEnvironmentError:
        return None
    if declared is None:
        return Objective(floor, f"environment {environment}")
    try:
        slo = effective_gate({"gate": {"slo": declared.model_dump(exclude_none=True)}}, environment).slo
    except GateConfigError as exc:
        log.warning("the declared SLO cannot be merged (%s): holding to environment %s", exc, environment)
        return Objective(floor, f"environment {environment}")
    if slo == floor:
        return Objective(floor, f"environment {environment}")
    return Objective(slo, f"service SLO, stricter than environment {environment}")


@dataclass
class ObjectiveBook:
    """Objectives per deployment, read once each (the declared SLO does not change while it runs)."""

    declared: DeclaredObjectives | None = None
    _known: dict[str, Objective | None] = field(default_factory=dict)

    def for_deployment(self, deployment: DeploymentRow) -> Objective | None:
        if deployment.deployment_id not in self._known:
            slo = self.declared.declared(deployment) if self.declared else None
            self._known[deployment.deployment_id] = objective_for(deployment.environment, slo)
        return self._known[deployment.deployment_id]

    def learn(self, deployment_id: str, environment: str, declared: Slo) -> None:
        """The SLO the deployment's verification just met (what ``declared`` would read back later)."""
        self._known[deployment_id] = objective_for(environment, declared)

    def forget(self, deployment_id: str) -> None:
        self._known.pop(deployment_id, None)
