"""remediation.action_requested runs once on the target and is answered with remediation.action_completed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agentic_common.bus import RecordingPublisher
from agentic_common.events.remediation import RemediationActionCompleted, RemediationActionRequested
from agentic_common.idempotency import InMemoryClaimStore
from agentic_deployment.logic.remediation_actions import RemediationExecutor
from agentic_deployment.ports import DeployError


@dataclass
class FakeActions:
    calls: list[str] = field(default_factory=list)

    def restart(self, service: str, environment: str, parameters: dict[str, Any]) -> tuple[dict, dict]:
        self.calls.append("restart")
        return {"pid": 1}, {"pid": 2}

    def rollback(self, service: str, environment: str, parameters: dict[str, Any]) -> tuple[dict, dict]:
        raise DeployError(
            "orders-api in dev has no earlier version on this worker to roll back to", retryable=False
        )

    resync = restart

    def scale(self, service: str, environment: str, parameters: dict[str, Any]) -> tuple[dict, dict]:
        raise DeployError("scale is not possible on the local target", retryable=False)


def action(name: str, action_id: str = "act-1") -> RemediationActionRequested:
    return RemediationActionRequested(
        workflow_id="wf-1",
        action_id=action_id,
        service="orders-api",
        deployment_id="dep-1",
        environment="dev",
        action=name,
    )  # type: ignore[arg-type]


def completed(publisher: RecordingPublisher) -> list[RemediationActionCompleted]:
    return [e for e in publisher.published if isinstance(e, RemediationActionCompleted)]


def test_a_restart_runs_once_even_when_the_request_is_redelivered() -> None:
    target, publisher = FakeActions(), RecordingPublisher()
    executor = RemediationExecutor(target, publisher, InMemoryClaimStore())
    executor.handle(action("restart"))
    executor.handle(action("restart"))
    assert target.calls == ["restart"]
    [answer] = completed(publisher)
    assert answer.outcome == "succeeded"
    assert (answer.before, answer.after) == ({"pid": 1}, {"pid": 2})


def test_an_action_the_target_cannot_do_is_answered_as_failed_with_the_reason() -> None:
    publisher = RecordingPublisher()
    executor = RemediationExecutor(FakeActions(), publisher, InMemoryClaimStore())
    executor.handle(action("rollback", "act-2"))
    executor.handle(action("scale", "act-3"))
    outcomes = [(a.action, a.outcome) for a in completed(publisher)]
    assert outcomes == [("rollback", "failed"), ("scale", "failed")]
    assert "no earlier version" in completed(publisher)[0].detail


def test_an_assisted_action_without_approval_is_not_run() -> None:
    target, publisher = FakeActions(), RecordingPublisher()
    request = action("restart", "act-4").model_copy(update={"tier": "assisted"})
    RemediationExecutor(target, publisher, InMemoryClaimStore()).handle(request)
    assert target.calls == []
    assert completed(publisher)[0].outcome == "failed"


def test_an_automated_action_in_an_environment_that_requires_approval_is_not_run() -> None:
    # Given an automated restart request for prod, where the environment table requires an approval
    target, publisher = FakeActions(), RecordingPublisher()
    request = action("restart", "act-5").model_copy(update={"environment": "prod", "tier": "automated"})
    # When the deployment worker receives it
    RemediationExecutor(target, publisher, InMemoryClaimStore()).handle(request)
    # Then nothing runs and the answer says why
    assert target.calls == []
    [answer] = completed(publisher)
    assert answer.outcome == "failed"
    assert "prod requires an approval for every action" in answer.detail


def test_an_action_in_an_environment_the_table_does_not_declare_is_not_run() -> None:
    # Given
    target, publisher = FakeActions(), RecordingPublisher()
    request = action("restart", "act-6").model_copy(update={"environment": "qa"})
    # When
    RemediationExecutor(target, publisher, InMemoryClaimStore()).handle(request)
    # Then
    assert target.calls == []
    assert "environment 'qa' has no rules" in completed(publisher)[0].detail
