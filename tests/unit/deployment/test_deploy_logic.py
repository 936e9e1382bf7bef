"""The deploy task logic, with a fake deploy target and the in-memory history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.agent import TaskAgent, TaskError
from agentic_common.bus import RecordingPublisher
from agentic_common.events.deployment import DeploymentCompleted, DeploymentOutputs
from agentic_common.events.envelope import Envelope
from agentic_common.events.tasks import TaskCompleted, TaskFailed
from agentic_common.idempotency import InMemoryClaimStore
from agentic_deployment.adapters.history_memory import InMemoryDeploymentHistory
from agentic_deployment.logic.deploy import DeployWork, deployment_id
from agentic_deployment.ports import DeployError
from deployment_fakes import CODEGEN_OUTPUTS, COMMIT, STARTED_AT, FakeDeployTarget, deploy_task


def test_deployment_id_is_the_same_for_the_same_workflow_and_task() -> None:
    # Given / When the id is derived twice for the same task, and once for another task
    first, again, other = (
        deployment_id("wf-1", "deploy"),
        deployment_id("wf-1", "deploy"),
        deployment_id("wf-2", "deploy"),
    )

    # Then the same task gets the same id, another task a different one
    assert first == again
    assert first != other
    assert first.startswith("dep-")
    assert len(first) == len("dep-") + 16


def test_a_deploy_task_returns_the_outputs_of_the_running_service(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given a deploy task downstream of codegen
    task = deploy_task()

    # When the work runs
    result = DeployWork(target, history)(task)

    # Then the outputs describe the commit codegen produced, running where the target says
    outputs = result.outputs
    assert isinstance(outputs, DeploymentOutputs)
    assert outputs.deployment_id == deployment_id("wf-1", "deploy")
    assert (outputs.service_name, outputs.environment, outputs.version) == ("orders-api", "dev", COMMIT)
    assert (outputs.url, outputs.target, outputs.status) == (
        "http://127.0.0.1:8123",
        "fake-target",
        "success",
    )
    assert outputs.duration_seconds >= 0


def test_the_target_is_asked_to_deploy_the_codegen_commit_within_the_task_timeout(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given a deploy task with a 300 s timeout
    task = deploy_task(timeout_seconds=300)

    # When the work runs
    DeployWork(target, history)(task)

    # Then the target received the repository, commit, environment and timeout
    [request] = target.requests
    assert (request.repo_url, request.commit) == (CODEGEN_OUTPUTS["repo_url"], COMMIT)
    assert (request.environment, request.timeout_seconds, request.workflow_id) == ("dev", 300, "wf-1")


def test_a_deploy_task_announces_deployment_completed_with_its_outputs(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given / When a deploy task succeeds
    result = DeployWork(target, history)(deploy_task())

    # Then it emits one deployment.completed for its workflow and task, carrying the outputs
    [event] = result.events
    assert isinstance(event, DeploymentCompleted)
    assert (event.workflow_id, event.task_id) == ("wf-1", "deploy")
    assert event.outputs == result.outputs


def test_a_successful_deployment_is_recorded_with_a_90_day_expiry(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given / When a deploy task succeeds
    DeployWork(target, history)(deploy_task())

    # Then the history holds one success item keyed by the service's start time, expiring 90 days later
    [record] = history.of(deployment_id("wf-1", "deploy"))
    assert (record.status, record.timestamp, record.url) == ("success", STARTED_AT, "http://127.0.0.1:8123")
    assert (record.version, record.target, record.workflow_id) == (COMMIT, "fake-target", "wf-1")
    assert record.expires_at == int((STARTED_AT + timedelta(days=90)).timestamp())


def test_a_redelivered_task_that_finds_the_service_running_records_it_once(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given a deploy task that already ran
    work = DeployWork(target, history)
    work(deploy_task())

    # When it is delivered again and the target reports the same running service
    work(deploy_task())

    # Then the history still has one item for it
    assert len(history.of(deployment_id("wf-1", "deploy"))) == 1


def test_a_failing_target_fails_the_task_as_retryable_and_records_the_failure(
    history: InMemoryDeploymentHistory,
) -> None:
    # Given a target whose service does not start
    failed_at = datetime(2025, 3, 2, tzinfo=UTC)
    target = FakeDeployTarget(error=DeployError("orders-api did not start: exit code 1"))
    work = DeployWork(target, history, now=lambda: failed_at)

    # When the work runs
    with pytest.raises(TaskError) as raised:
        work(deploy_task())

    # Then the task fails as retryable with the target's message, and the failure is in the history
    assert raised.value.retryable is True
    assert "did not start" in str(raised.value)
    [record] = history.of(deployment_id("wf-1", "deploy"))
    assert (record.status, record.timestamp, record.url) == ("failed", failed_at, None)


def test_a_task_without_codegen_upstream_fails_for_good_without_deploying(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given a deploy task that does not depend on codegen
    task = deploy_task(upstream={})

    # When the work runs
    with pytest.raises(TaskError) as raised:
        DeployWork(target, history)(task)

    # Then it fails as not retryable, naming what is missing, and nothing was deployed
    assert raised.value.retryable is False
    assert "codegen" in str(raised.value)
    assert target.requests == []


def test_invalid_codegen_outputs_fail_the_task_for_good(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given codegen outputs without a commit
    broken = {k: v for k, v in CODEGEN_OUTPUTS.items() if k != "commit"}

    # When the work runs
    with pytest.raises(TaskError) as raised:
        DeployWork(target, history)(deploy_task(upstream={"codegen": broken}))

    # Then it fails as not retryable and names the field
    assert raised.value.retryable is False
    assert "commit" in str(raised.value)


def test_a_task_without_an_environment_fails_for_good(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given workflow parameters without an environment
    task = deploy_task(parameters={"serviceName": "orders-api"})

    # When / Then the work fails as not retryable
    with pytest.raises(TaskError, match="environment") as raised:
        DeployWork(target, history)(task)
    assert raised.value.retryable is False


def test_an_unknown_action_fails_for_good(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given a task asking the deployment agent to do something it does not know
    task = deploy_task(action="rollback")

    # When / Then the work fails as not retryable
    with pytest.raises(TaskError, match="rollback") as raised:
        DeployWork(target, history)(task)
    assert raised.value.retryable is False


def test_the_task_agent_reports_a_failed_deploy_as_a_retryable_task_failed(
    history: InMemoryDeploymentHistory,
) -> None:
    # Given the deployment TaskAgent over a target that fails
    publisher = RecordingPublisher()
    target = FakeDeployTarget(error=DeployError("install failed: uv pip exited with code 2"))
    agent = TaskAgent("deployment", DeployWork(target, history), publisher, InMemoryClaimStore())

    # When it handles the task
    task = deploy_task()
    agent.handle(Envelope(source="agentic.planner", detail_type=task.DETAIL_TYPE, detail=task))

    # Then it publishes task.failed, retryable, with the readable reason
    [failed] = publisher.published
    assert isinstance(failed, TaskFailed)
    assert failed.retryable is True
    assert "install failed" in failed.error


def test_the_task_agent_publishes_deployment_completed_then_task_completed(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given the deployment TaskAgent
    publisher = RecordingPublisher()
    agent = TaskAgent("deployment", DeployWork(target, history), publisher, InMemoryClaimStore())

    # When it handles a deploy task
    task = deploy_task()
    agent.handle(Envelope(source="agentic.planner", detail_type=task.DETAIL_TYPE, detail=task))

    # Then deployment.completed and task.completed carry the same outputs
    completed_deploy, completed_task = publisher.published
    assert isinstance(completed_deploy, DeploymentCompleted)
    assert isinstance(completed_task, TaskCompleted)
    assert completed_task.outputs == completed_deploy.outputs.model_dump(mode="json")
