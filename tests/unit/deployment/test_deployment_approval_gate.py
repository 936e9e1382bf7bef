"""A deploy task that needs an approval runs only when the approval is granted and still covers it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.agent import TaskError
from agentic_common.approvals import Approval, ApprovalStatus, InMemoryApprovalStore
from agentic_common.approvals.deployment import approval_id_for, deployment_digest
from agentic_common.events.tasks import TaskCreated
from agentic_deployment.adapters.history_memory import InMemoryDeploymentHistory
from agentic_deployment.logic.deploy import DeployWork
from agentic_deployment.logic.release import GateFailedError
from deployment_fakes import COMMIT, FakeDeployTarget

from tests.helpers import task_created

CONFIG = {
    "gate": {"slo": {"p95_latency_ms": 500, "max_error_rate": 0.05, "requests": 5}, "probe_path": "/ready"},
    "approval": {"environments": ["prod"]},
}
PARAMS = {
    "service": "orders-api",
    "version": COMMIT,
    "environment": "prod",
    "strategy": "canary",
    "repoUrl": "file:///srv/git/orders-api.git",
}


def prod_task(**params: str) -> TaskCreated:
    return task_created(
        "deployment", workflow_id="wf-9", template="deploy", parameters=PARAMS | params, config=CONFIG
    )


def requested(store: InMemoryApprovalStore) -> Approval:
    now = datetime.now(UTC)
    return store.request(
        Approval(
            approval_id=approval_id_for("wf-9"),
            kind="deployment",
            subject="dep-x",
            workflow_id="wf-9",
            service="orders-api",
            environment="prod",
            digest=deployment_digest(PARAMS, CONFIG),
            summary="deploy",
            requested_by="dev@example.com",
            requested_at=now,
            expires_at=now + timedelta(hours=1),
        )
    )


def test_an_approved_deployment_runs_with_its_strategy_and_gate(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    store = InMemoryApprovalStore()
    store.decide(requested(store).approval_id, True, "lead@example.com", "go")
    result = DeployWork(target, history, store)(prod_task())
    assert target.requests[0].strategy == "canary"
    assert target.requests[0].gate is not None
    assert target.requests[0].gate.probe_path == "/ready"
    assert result.outputs.model_dump()["strategy"] == "canary"


def test_a_pending_approval_stops_the_deployment(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    store = InMemoryApprovalStore()
    requested(store)
    with pytest.raises(TaskError, match="is pending, not approved"):
        DeployWork(target, history, store)(prod_task())
    assert target.requests == []


def test_an_approval_for_another_version_is_voided_and_nothing_runs(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    store = InMemoryApprovalStore()
    store.decide(requested(store).approval_id, True, "lead@example.com", "go")
    with pytest.raises(TaskError, match="is void: the artifact or the plan changed") as failed:
        DeployWork(target, history, store)(prod_task(version="f" * 40))
    assert failed.value.retryable is False
    assert target.requests == []
    voided = store.get(approval_id_for("wf-9"))
    assert voided is not None
    assert voided.status is ApprovalStatus.VOID


def test_a_dev_deployment_needs_no_approval(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    DeployWork(target, history, InMemoryApprovalStore())(prod_task(environment="dev"))
    assert len(target.requests) == 1


def test_a_failed_gate_is_recorded_as_rolled_back_with_the_reason(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    target.error = GateFailedError(
        "canary step 1 (10% of traffic) of abc failed its SLO gate: error rate", []
    )
    with pytest.raises(GateFailedError):
        DeployWork(target, history)(prod_task(environment="dev"))
    [record] = history.of_service("orders-api")
    assert record.status == "rolled_back"
    assert record.detail is not None
    assert "failed its SLO gate" in record.detail
