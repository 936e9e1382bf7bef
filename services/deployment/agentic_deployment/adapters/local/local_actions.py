"""Remediation actions on the local target: restart, rollback and resync a service line; scale is refused.

Each returns (before, after): the live version, its process and the proxy's split, as evidence. A
rollback is a rolling release of the version before, gated like any deployment (its step, with
measurements and verdict, is in ``after["steps"]``); a step that does not pass leaves traffic where it was.
"""

from __future__ import annotations

from typing import Any

from agentic_deployment.adapters.local import processes
from agentic_deployment.adapters.local.local_release import LocalReleaseTarget, ServiceLine, require_line
from agentic_deployment.adapters.local.service_manifest import read_manifest
from agentic_deployment.adapters.local.state_file import DeploymentDir
from agentic_deployment.ports import DeployError

Snapshot = dict[str, Any]


def snapshot(line: ServiceLine) -> Snapshot:
    live = line.live
    return {
        "version": live.request.commit if live else None,
        "deployment_id": live.request.deployment_id if live else None,
        "pid": live.running.pid if live else None,
        "url": line.proxy.url,
        "split": line.proxy.split.weights(),
    }


class LocalActions:
    def __init__(self, target: LocalReleaseTarget) -> None:
        self._target = target

    def restart(
        self, service: str, environment: str, parameters: dict[str, Any]
    ) -> tuple[Snapshot, Snapshot]:
        line = require_line(self._target, service, environment)
        before = snapshot(line)
        assert line.live is not None
        self._target.switch_to(line, line.live.request)
        return before, snapshot(line)

    def rollback(
        self, service: str, environment: str, parameters: dict[str, Any]
    ) -> tuple[Snapshot, Snapshot]:
        line = require_line(self._target, service, environment)
        previous = line.previous
        if previous is None:
            raise DeployError(
                f"{service} in {environment} has no earlier version on this worker to roll back to",
                retryable=False,
            )
        wanted = parameters.get("to_version")
        if wanted and not previous.request.commit.startswith(str(wanted)):
            raise DeployError(
                f"can only roll back to the version before ({previous.request.commit[:12]}), not {wanted}",
                retryable=False,
            )
        before = snapshot(line)
        running = self._target.release(line, previous.request, "rolling")
        return before, {**snapshot(line), "steps": list(running.steps)}

    def resync(self, service: str, environment: str, parameters: dict[str, Any]) -> tuple[Snapshot, Snapshot]:
        """Bring the line back to its desired state: the live version runs healthy and has all traffic."""
        line = require_line(self._target, service, environment)
        before = snapshot(line)
        assert line.live is not None
        health = read_manifest(
            DeploymentDir(self._target.processes.root / line.live.request.deployment_id).src
        )
        if not processes.health_ok(line.live.running.url, health.health):
            self._target.switch_to(line, line.live.request)
        else:
            line.proxy.route({line.live.label: 100})
        return before, snapshot(line)

    def scale(self, service: str, environment: str, parameters: dict[str, Any]) -> tuple[Snapshot, Snapshot]:
        raise DeployError(
            f"scale is not possible on the local target: it runs one process per version of {service} "
            "(replicas are a Kubernetes concern: the ArgoCD target scales)",
            retryable=False,
        )
