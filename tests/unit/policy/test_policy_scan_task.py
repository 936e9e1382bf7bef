"""The scan-repository task through TaskAgent: outcomes, enforcement, events, records, input errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from agentic_common.agent import TaskAgent, TaskError
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope
from agentic_common.events.policy import PolicyValidated, PolicyViolated
from agentic_common.events.tasks import TaskCompleted, TaskCreated, TaskFailed
from agentic_common.idempotency import InMemoryClaimStore
from agentic_policy.adapters.memory_recorder import InMemoryViolationRecorder
from agentic_policy.logic.scan_task import RepositoryScan, failure_events

MakeTask = Callable[..., TaskCreated]


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher("policy")


@pytest.fixture
def run(
    artifacts: InMemoryArtifactStore, recorder: InMemoryViolationRecorder, publisher: RecordingPublisher
) -> Callable[[TaskCreated], None]:
    agent = TaskAgent(
        "policy", RepositoryScan(artifacts, recorder), publisher, InMemoryClaimStore(), failure_events
    )
    return lambda task: agent.handle(
        Envelope(source="agentic.planner", detail_type="task.created", detail=task)
    )


def with_latest_base(files: dict[str, bytes]) -> dict[str, bytes]:
    dockerfile = files["Dockerfile"].decode().replace("FROM python:3.11.10-slim\n", "FROM python:latest\n")
    return files | {"Dockerfile": dockerfile.encode()}


def test_a_clean_fastapi_repository_passes_prod(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    publisher: RecordingPublisher,
    recorder: InMemoryViolationRecorder,
) -> None:
    # Given the clean repository in prod / When the task runs
    run(make_task(clean_repo, environment="prod"))

    # Then policy.validated and task.completed are published with no violations, and nothing is recorded
    validated, completed = publisher.published
    assert isinstance(validated, PolicyValidated)
    assert isinstance(completed, TaskCompleted)
    assert validated.outputs.violations == ()
    assert validated.outputs.files_scanned == len(clean_repo)
    assert validated.outputs.rules_evaluated == 8
    assert completed.outputs == validated.outputs.model_dump(mode="json")
    assert recorder.records == []


def test_a_high_violation_blocks_staging_with_a_readable_message_and_policy_violated(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    publisher: RecordingPublisher,
) -> None:
    # Given the final stage of the Dockerfile (line 8) uses python:latest, in staging
    run(make_task(with_latest_base(clean_repo), environment="staging"))

    # Then policy.violated is published before a non-retryable task.failed
    violated, failed = publisher.published
    assert isinstance(violated, PolicyViolated)
    assert isinstance(failed, TaskFailed)
    assert failed.retryable is False
    assert failed.error.startswith("1 policy violation blocks staging: 1) DOCKER-001 (high) Dockerfile:8 ")
    assert "'python:latest'" in failed.error
    assert "fix: pin the base image" in failed.error
    assert failed.evidence["enforcement"] == "staging"
    assert [v["rule"] for v in failed.evidence["violations"]] == ["DOCKER-001 base-image-pinned"]
    assert [v.rule for v in violated.outputs.violations] == ["DOCKER-001 base-image-pinned"]
    assert violated.outputs.artifact_sha256 == failed.evidence["artifact_sha256"]


def test_a_medium_violation_does_not_block_staging_but_is_listed_and_recorded(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    publisher: RecordingPublisher,
    recorder: InMemoryViolationRecorder,
) -> None:
    # Given an unpinned requirement (medium) in staging
    files = clean_repo | {"requirements.txt": b"fastapi>=0.110\n"}
    run(make_task(files, environment="staging"))

    # Then the task completes, lists the violation, and records it as non-blocking
    validated, _completed = publisher.published
    assert isinstance(validated, PolicyValidated)
    assert [(v.rule, v.line) for v in validated.outputs.violations] == [("DEPS-001 requirements-pinned", 1)]
    assert [(r.blocking, r.environment) for r in recorder.records] == [(False, "staging")]


def test_the_same_medium_violation_blocks_prod(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    publisher: RecordingPublisher,
) -> None:
    run(make_task(clean_repo | {"requirements.txt": b"fastapi>=0.110\n"}, environment="prod"))
    assert [d.DETAIL_TYPE for d in publisher.published] == ["policy.violated", "task.failed"]


def test_dev_is_advisory_even_for_critical_violations(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    publisher: RecordingPublisher,
    recorder: InMemoryViolationRecorder,
) -> None:
    # Given a committed .env file (critical) in dev / When the task runs
    run(make_task(clean_repo | {".env": b"DEBUG=1\n"}, environment="dev"))

    # Then the task completes and the violation is listed and recorded
    assert [d.DETAIL_TYPE for d in publisher.published] == ["policy.validated", "task.completed"]
    assert [r.violation.rule for r in recorder.records] == ["SEC-002 no-env-or-key-files"]


def test_a_redelivered_task_overwrites_the_same_records(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    artifacts: InMemoryArtifactStore,
    recorder: InMemoryViolationRecorder,
) -> None:
    # Given a failing repository scanned twice for the same task event (a redelivery)
    task = make_task(with_latest_base(clean_repo) | {".env": b"X=1\n"}, environment="dev")
    scan = RepositoryScan(artifacts, recorder)
    scan(task)
    first = sorted(recorder.items)

    # When it runs again / Then the same keys are written, no new ones
    scan(task)
    assert sorted(recorder.items) == first
    assert len(first) == 2


def test_an_artifact_that_fails_its_integrity_check_is_a_non_retryable_error(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    artifacts: InMemoryArtifactStore,
    recorder: InMemoryViolationRecorder,
) -> None:
    # Given the stored bytes were changed after codegen recorded their digest
    task = make_task(clean_repo)
    artifacts.objects["wf-unit-1/repo.tar.gz"] = b"tampered"

    # When scanned / Then a non-retryable TaskError explains it, and failure_events adds nothing
    with pytest.raises(TaskError, match="integrity check") as raised:
        RepositoryScan(artifacts, recorder)(task)
    assert raised.value.retryable is False
    assert failure_events(task, raised.value) == ()


def test_an_unsafe_archive_is_a_non_retryable_error(
    make_task: MakeTask, artifacts: InMemoryArtifactStore, recorder: InMemoryViolationRecorder
) -> None:
    task = make_task({"README.md": b"#", "../escape.py": b""})
    with pytest.raises(TaskError, match="cannot be scanned safely") as raised:
        RepositoryScan(artifacts, recorder)(task)
    assert raised.value.retryable is False


def test_a_task_without_codegen_upstream_is_a_non_retryable_error(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    artifacts: InMemoryArtifactStore,
    recorder: InMemoryViolationRecorder,
) -> None:
    task = make_task(clean_repo, upstream={})
    with pytest.raises(TaskError, match="no outputs of the 'codegen' task") as raised:
        RepositoryScan(artifacts, recorder)(task)
    assert raised.value.retryable is False


def test_an_unknown_environment_is_a_non_retryable_error(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    artifacts: InMemoryArtifactStore,
    recorder: InMemoryViolationRecorder,
) -> None:
    task = make_task(clean_repo, environment="production")
    with pytest.raises(TaskError, match="'production'") as raised:
        RepositoryScan(artifacts, recorder)(task)
    assert raised.value.retryable is False


def test_many_violations_are_all_recorded_but_capped_in_the_events(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    publisher: RecordingPublisher,
    recorder: InMemoryViolationRecorder,
) -> None:
    # Given 60 unpinned requirements, one of them a very long line, in prod
    lines = [f"package-{n}>=1.0" for n in range(59)] + ["huge>=" + "1" * 5000]
    run(make_task(clean_repo | {"requirements.txt": "\n".join(lines).encode()}, environment="prod"))

    # Then every violation is recorded, the events carry the first 50, and messages are clipped
    violated, failed = publisher.published
    assert isinstance(violated, PolicyViolated)
    assert isinstance(failed, TaskFailed)
    assert len(recorder.records) == 60
    assert len(violated.outputs.violations) == 50
    assert failed.evidence["violations_total"] == 60
    assert "… and 55 more." in failed.error
    assert max(len(r.violation.message) for r in recorder.records) <= 300
