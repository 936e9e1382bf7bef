"""The codegen work function with fakes: outputs, events, artifact, Git, and the secret gate."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pytest
from agentic_codegen.adapters.secret_scan import DetectSecretsScanner
from agentic_codegen.logic.generate import CodegenPorts, generate, make_work
from agentic_codegen.logic.parameters import ServiceParameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_codegen.ports import Files, GitHostError, PublishedRepo, SecretFinding
from agentic_common.agent import TaskAgent, TaskError
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope
from agentic_common.events.codegen import CodegenCompleted, CodegenOutputs
from agentic_common.events.tasks import TaskCompleted, TaskCreated, TaskFailed
from agentic_common.idempotency import InMemoryClaimStore

from tests.helpers import planner_state, task_created

AWS_KEY_LIKE = "AKIA" + "IOSFODNN7EXAMPLE"


class FakeGitHost:
    """Remembers each publish; the commit id is derived from the files, like a tree id."""

    def __init__(self, fail: bool = False, retryable: bool = True) -> None:
        self.published: list[tuple[str, dict[str, bytes], str]] = []
        self._fail = fail
        self._retryable = retryable

    def publish(self, project: str, files: Files, message: str, *, description: str = "") -> PublishedRepo:
        if self._fail:
            raise GitHostError("connection refused", retryable=self._retryable)
        self.published.append((project, dict(files), message))
        digest = hashlib.sha1(
            b"".join(k.encode() + v for k, v in sorted(files.items())), usedforsecurity=False
        )
        return PublishedRepo(
            repo_url=f"file:///git/services/{project}.git", commit=digest.hexdigest(), branch="main"
        )


class CleanScanner:
    def scan(self, files: Files) -> list[SecretFinding]:
        return []


class LeakyRenderer:
    """The real templates plus one file holding a credential, as a broken template would."""

    def render(self, params: ServiceParameters) -> dict[str, bytes]:
        files = TemplateRenderer().render(params)
        files["app/aws.py"] = f'REGION = "us-east-1"\nKEY_ID = "{AWS_KEY_LIKE}"\n'.encode()
        return files


def _task(parameters: Mapping[str, Any] | None = None, action: str = "generate") -> TaskCreated:
    return task_created(
        "codegen",
        action=action,
        timeout_seconds=600,
        template="microservice",
        parameters=dict(parameters or {"serviceName": "orders", "database": "postgresql"}),
    )


def _ports(**overrides: Any) -> CodegenPorts:
    defaults: dict[str, Any] = {
        "renderer": TemplateRenderer(),
        "artifacts": InMemoryArtifactStore("artifacts"),
        "git": FakeGitHost(),
        "scanner": CleanScanner(),
        "tasks": planner_state("wf-1"),
    }
    return CodegenPorts(**(defaults | overrides))


def test_generate_reports_the_repository_commit_and_artifact() -> None:
    # Given fakes for every port
    ports = _ports()

    # When a generate task runs
    result = generate(_task(), ports)

    # Then the outputs point at the published commit and the stored artifact
    outputs = result.outputs
    assert isinstance(outputs, CodegenOutputs)
    git = ports.git
    assert isinstance(git, FakeGitHost)
    [(project, files, _message)] = git.published
    assert project == "orders"
    assert outputs.service_name == "orders"
    assert outputs.repo_url == "file:///git/services/orders.git"
    assert outputs.branch == "main"
    assert outputs.files == len(files)
    assert outputs.artifact.key == "workflows/wf-1/orders.tar.gz"
    assert outputs.artifact.bucket == "artifacts"


def test_the_stored_artifact_matches_its_digest() -> None:
    # Given an in-memory artifact store
    store = InMemoryArtifactStore("artifacts")

    # When a generate task runs
    outputs = generate(_task(), _ports(artifacts=store)).outputs
    assert isinstance(outputs, CodegenOutputs)

    # Then the stored bytes hash to the digest the outputs carry
    assert (
        hashlib.sha256(store.objects["workflows/wf-1/orders.tar.gz"]).hexdigest() == outputs.artifact.sha256
    )


def test_a_retry_produces_the_same_artifact_and_commit() -> None:
    # Given one set of ports
    ports = _ports()

    # When the same task runs twice
    first = generate(_task(), ports).outputs
    second = generate(_task(), ports).outputs

    # Then the artifact digest and the commit are the same
    assert first == second


def test_generate_emits_codegen_completed_with_the_outputs() -> None:
    # When a generate task runs
    result = generate(_task(), _ports())

    # Then one codegen.completed event carries the same outputs
    [event] = result.events
    assert isinstance(event, CodegenCompleted)
    assert (event.workflow_id, event.task_id) == ("wf-1", "codegen")
    assert event.outputs == result.outputs


def test_a_secret_in_the_output_blocks_the_push() -> None:
    # Given a renderer whose output holds an AWS key, and the real scanner
    git = FakeGitHost()
    store = InMemoryArtifactStore()
    ports = _ports(renderer=LeakyRenderer(), scanner=DetectSecretsScanner(), git=git, artifacts=store)

    # When the task runs
    with pytest.raises(TaskError) as failure:
        generate(_task(), ports)

    # Then nothing is pushed or stored, and the error names the file and line but not the secret
    assert git.published == []
    assert store.objects == {}
    assert failure.value.retryable is False
    assert "app/aws.py line 2" in str(failure.value)
    assert AWS_KEY_LIKE not in str(failure.value)
    assert failure.value.evidence == {
        "findings": [{"file": "app/aws.py", "line": 2, "type": "AWS Access Key"}]
    }


def test_invalid_parameters_fail_before_anything_is_rendered() -> None:
    # Given a task with an invalid service name
    git = FakeGitHost()

    # When it runs
    with pytest.raises(TaskError) as failure:
        generate(_task({"serviceName": "Not A Name"}), _ports(git=git))

    # Then it fails for good and nothing is pushed
    assert failure.value.retryable is False
    assert git.published == []


def test_an_unknown_action_fails_for_good() -> None:
    # When a task asks codegen for something it does not do
    with pytest.raises(TaskError) as failure:
        make_work(_ports())(_task(action="refactor"))

    # Then the task fails without retry and says what codegen does
    assert failure.value.retryable is False
    assert "'generate' and 'upgrade'" in str(failure.value)


def test_a_git_host_failure_is_retryable() -> None:
    # Given a Git host that refuses connections
    # When the task runs
    with pytest.raises(TaskError) as failure:
        generate(_task(), _ports(git=FakeGitHost(fail=True)))

    # Then another attempt is allowed
    assert failure.value.retryable is True
    assert "connection refused" in str(failure.value)


def test_a_permanent_git_host_failure_is_not_retried() -> None:
    # Given a Git host that rejects our token for good
    # When the task runs
    with pytest.raises(TaskError) as failure:
        generate(_task(), _ports(git=FakeGitHost(fail=True, retryable=False)))

    # Then the task fails without retry
    assert failure.value.retryable is False


def test_the_task_agent_publishes_codegen_and_task_completed() -> None:
    # Given the work function inside the common task protocol
    publisher = RecordingPublisher()
    agent = TaskAgent(
        agent="codegen", work=make_work(_ports()), publisher=publisher, claims=InMemoryClaimStore()
    )

    # When a task.created envelope is handled
    agent.handle(Envelope(source="agentic.planner", detail_type="task.created", detail=_task()))

    # Then codegen.completed and task.completed are published, with the outputs as JSON
    [codegen] = publisher.of_type("codegen.completed")
    [completed] = publisher.of_type("task.completed")
    assert isinstance(codegen, CodegenCompleted)
    assert isinstance(completed, TaskCompleted)
    assert CodegenOutputs.model_validate(completed.outputs) == codegen.outputs


def test_the_task_agent_reports_a_blocked_push_as_task_failed() -> None:
    # Given a leaky renderer inside the task protocol
    publisher = RecordingPublisher()
    ports = _ports(renderer=LeakyRenderer(), scanner=DetectSecretsScanner())
    agent = TaskAgent(
        agent="codegen", work=make_work(ports), publisher=publisher, claims=InMemoryClaimStore()
    )

    # When the task is handled
    agent.handle(Envelope(source="agentic.planner", detail_type="task.created", detail=_task()))

    # Then a non-retryable task.failed is published and no codegen.completed
    [failed] = publisher.of_type("task.failed")
    assert isinstance(failed, TaskFailed)
    assert failed.retryable is False
    assert "app/aws.py line 2" in failed.error
    assert publisher.of_type("codegen.completed") == []
