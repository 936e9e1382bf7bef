"""The scan-repository task through TaskAgent with the real engines: outcomes, enforcement, events,
records, reports, decisions, waivers, merge request comments and input errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.agent import TaskAgent, TaskError
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope
from agentic_common.events.policy import PolicyValidated, PolicyViolated
from agentic_common.events.tasks import TaskCompleted, TaskCreated, TaskFailed
from agentic_common.idempotency import InMemoryClaimStore
from agentic_policy.adapters.memory.recorder import InMemoryViolationRecorder
from agentic_policy.adapters.memory.stores import InMemoryDecisionStore, InMemoryWaiverStore
from agentic_policy.logic.scan_task import RepositoryScan, failure_events
from agentic_policy.logic.service import PolicyService
from agentic_policy.logic.waivers import WaiverRequest, new_waiver

MakeTask = Callable[..., TaskCreated]


class RecordingCommenter:
    """Stands in for the Git host's comment(); the real local adapter is used in the integration test."""

    def __init__(self) -> None:
        self.comments: list[tuple[str, int, str]] = []

    def comment(self, project: str, merge_request_iid: int, body: str) -> None:
        self.comments.append((project, merge_request_iid, body))


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher("policy")


@pytest.fixture
def commenter() -> RecordingCommenter:
    return RecordingCommenter()


@pytest.fixture
def scan(
    artifacts: InMemoryArtifactStore,
    recorder: InMemoryViolationRecorder,
    service: PolicyService,
    commenter: RecordingCommenter,
) -> RepositoryScan:
    return RepositoryScan(artifacts, recorder, service, commenter)


@pytest.fixture
def run(scan: RepositoryScan, publisher: RecordingPublisher) -> Callable[[TaskCreated], None]:
    agent = TaskAgent("policy", scan, publisher, InMemoryClaimStore(), failure_events)
    return lambda task: agent.handle(
        Envelope(source="agentic.planner", detail_type="task.created", detail=task)
    )


def with_latest_base(files: dict[str, bytes]) -> dict[str, bytes]:
    dockerfile = files["Dockerfile"].decode().replace("FROM python:3.11.10-slim\n", "FROM python:latest\n")
    return files | {"Dockerfile": dockerfile.encode()}


def test_a_clean_fastapi_repository_passes_prod_and_stores_its_report_and_decision(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    scan: RepositoryScan,
    artifacts: InMemoryArtifactStore,
    decisions: InMemoryDecisionStore,
) -> None:
    # Given the clean repository in prod / When the task runs through TaskAgent
    publisher = RecordingPublisher("policy")
    agent = TaskAgent("policy", scan, publisher, InMemoryClaimStore(), failure_events)
    agent.handle(Envelope(source="agentic.planner", detail_type="task.created", detail=make_task(clean_repo)))

    # Then policy.validated and task.completed are published with nothing blocking
    validated, completed = publisher.published
    assert isinstance(validated, PolicyValidated)
    assert isinstance(completed, TaskCompleted)
    outputs = validated.outputs
    assert outputs.blocking == 0
    assert outputs.environment == "prod"
    assert all(v.severity == "low" for v in outputs.violations)
    assert outputs.files_scanned == len(clean_repo)
    assert outputs.rules_evaluated >= 20
    # And the JSON and Markdown reports are in the artifact store, the decision in its store
    assert outputs.report is not None
    assert outputs.report_markdown is not None
    assert b'"valid": true' in artifacts.objects[outputs.report.key]
    assert b"passes" in artifacts.objects[outputs.report_markdown.key]
    decision = decisions.get(outputs.decision_id or "")
    assert decision is not None
    assert decision.valid
    assert decision.bundle_version == outputs.bundle_version


def test_an_unpinned_base_image_blocks_staging_naming_docker_001_and_publishes_policy_violated(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    publisher: RecordingPublisher,
) -> None:
    # Given the final stage of the Dockerfile (line 8) uses python:latest, in staging
    run(make_task(with_latest_base(clean_repo), environment="staging"))

    # Then policy.violated is published before a non-retryable task.failed whose reason names DOCKER-001 first
    violated, failed = publisher.published
    assert isinstance(violated, PolicyViolated)
    assert isinstance(failed, TaskFailed)
    assert failed.retryable is False
    assert (
        "policy violations block staging: 1) DOCKER-001 (high) Dockerfile:8 base image python:latest"
        in failed.error
    )
    assert "Blocking rules: DOCKER-001" in failed.error
    # And the other engines agree (checkov and hadolint flag the latest tag too)
    assert {"DOCKER-001", "CKV_DOCKER_7", "DL3007"} <= {v["rule"] for v in failed.evidence["blocking"]}
    assert violated.outputs.blocking == len(failed.evidence["blocking"])


def test_a_medium_violation_does_not_block_staging_but_blocks_prod(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    publisher: RecordingPublisher,
    recorder: InMemoryViolationRecorder,
) -> None:
    # Given an unpinned requirement (medium)
    files = clean_repo | {"requirements.txt": b"fastapi>=0.110\n"}

    # When it runs in staging / Then it completes, lists and records the violation as non-blocking
    run(make_task(files, environment="staging", workflow_id="wf-staging"))
    assert [d.DETAIL_TYPE for d in publisher.published] == ["policy.validated", "task.completed"]
    deps = [r for r in recorder.records if r.violation.rule == "DEPS-001"]
    assert [(r.blocking, r.environment, r.violation.line) for r in deps] == [(False, "staging", 1)]

    # When it runs in prod / Then it blocks
    run(make_task(files, environment="prod", workflow_id="wf-prod"))
    assert [d.DETAIL_TYPE for d in publisher.published][2:] == ["policy.violated", "task.failed"]


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
    assert ("SEC-002", "critical") in {(r.violation.rule, r.violation.severity) for r in recorder.records}


def test_an_active_waiver_turns_a_blocking_violation_into_a_waived_one_and_an_expired_one_does_not(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    publisher: RecordingPublisher,
    waivers: InMemoryWaiverStore,
) -> None:
    # Given an unpinned requirement in prod, waived for payments-api until tomorrow
    now = datetime.now(UTC)
    request = WaiverRequest(
        rule="DEPS-001",
        repository="payments-api",
        owner="team-payments",
        reason="upstream publishes no wheel for the pinned version yet",
        expires_at=now + timedelta(days=1),
    )
    waivers.put(new_waiver(request, "alice", now))
    files = clean_repo | {"requirements.txt": b"fastapi>=0.110\n"}

    # When the task runs / Then it passes, and the violation is shown as waived (not dropped)
    run(make_task(files, environment="prod", workflow_id="wf-waived"))
    validated = publisher.published[0]
    assert isinstance(validated, PolicyValidated)
    assert [(v.rule, v.waiver_id is not None) for v in validated.outputs.waived] == [("DEPS-001", True)]
    assert "DEPS-001" not in {v.rule for v in validated.outputs.violations}

    # Given the waiver has expired / When the task runs again / Then the violation blocks again
    expired = request.model_copy(update={"expires_at": now - timedelta(seconds=1)})
    waivers.items.clear()
    waivers.put(new_waiver(expired, "alice", now - timedelta(days=2)))
    run(make_task(files, environment="prod", workflow_id="wf-expired"))
    assert publisher.published[-1].DETAIL_TYPE == "task.failed"


def test_a_repository_with_a_merge_request_gets_the_findings_as_a_comment(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    commenter: RecordingCommenter,
) -> None:
    # Given codegen opened merge request !7 for the change / When the task runs in staging
    task = make_task(with_latest_base(clean_repo), environment="staging")
    codegen = task.upstream["codegen"] | {"merge_request_iid": 7, "merge_request_url": "http://git/mr/7"}
    run(task.model_copy(update={"upstream": {"codegen": codegen}}))

    # Then the Markdown report is commented on that merge request
    [(project, iid, body)] = commenter.comments
    assert (project, iid) == ("payments-api", 7)
    assert "blocked by" in body
    assert "DOCKER-001" in body
    assert "| status | severity |" in body


def test_a_repository_without_a_merge_request_gets_no_comment(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    run: Callable[[TaskCreated], None],
    commenter: RecordingCommenter,
) -> None:
    run(make_task(clean_repo, environment="dev"))
    assert commenter.comments == []


def test_a_redelivered_task_overwrites_the_same_records(
    clean_repo: dict[str, bytes],
    make_task: MakeTask,
    scan: RepositoryScan,
    recorder: InMemoryViolationRecorder,
) -> None:
    # Given a failing repository scanned twice for the same task event (a redelivery), in dev
    task = make_task(with_latest_base(clean_repo) | {".env": b"X=1\n"}, environment="dev")
    scan(task)
    first = sorted(recorder.items)

    # When it runs again / Then the same keys are written, no new ones
    scan(task)
    assert sorted(recorder.items) == first
    assert len(first) >= 2


def test_an_artifact_that_fails_its_integrity_check_is_a_non_retryable_error(
    clean_repo: dict[str, bytes], make_task: MakeTask, artifacts: InMemoryArtifactStore, scan: RepositoryScan
) -> None:
    # Given the stored bytes were changed after codegen recorded their digest
    task = make_task(clean_repo)
    artifacts.objects["wf-unit-1/repo.tar.gz"] = b"tampered"

    # When scanned / Then a non-retryable TaskError explains it, and failure_events adds nothing
    with pytest.raises(TaskError, match="integrity check") as raised:
        scan(task)
    assert raised.value.retryable is False
    assert failure_events(task, raised.value) == ()


def test_an_unsafe_archive_is_a_non_retryable_error(make_task: MakeTask, scan: RepositoryScan) -> None:
    with pytest.raises(TaskError, match="cannot be scanned safely") as raised:
        scan(make_task({"README.md": b"#", "../escape.py": b""}))
    assert raised.value.retryable is False


def test_a_task_without_codegen_upstream_is_a_non_retryable_error(
    clean_repo: dict[str, bytes], make_task: MakeTask, scan: RepositoryScan
) -> None:
    with pytest.raises(TaskError, match="needs the outputs of the 'codegen' task") as raised:
        scan(make_task(clean_repo, upstream={}))
    assert raised.value.retryable is False


def test_an_unknown_environment_is_a_non_retryable_error(
    clean_repo: dict[str, bytes], make_task: MakeTask, scan: RepositoryScan
) -> None:
    with pytest.raises(TaskError, match="'production'") as raised:
        scan(make_task(clean_repo, environment="production"))
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
    assert len([r for r in recorder.records if r.violation.rule == "DEPS-001"]) == 60
    assert len(violated.outputs.violations) == 50
    assert failed.evidence["violations_total"] >= 60
    assert "more." in failed.error
    assert max(len(r.violation.message) for r in recorder.records) <= 300


def test_a_repository_with_a_file_over_its_size_limit_is_a_non_retryable_error_naming_it(
    clean_repo: dict[str, bytes], make_task: MakeTask, scan: RepositoryScan
) -> None:
    # Given a repository whose Dockerfile has 8,000 lines
    huge = b"FROM python:3.11.10-slim\n" + b"RUN true\n" * 8000

    # When scanned / Then the task fails for good, naming the file and the limit
    with pytest.raises(TaskError, match=r"\(Dockerfile\) has 8001 lines; the limit is 1000 lines") as raised:
        scan(make_task(clean_repo | {"Dockerfile": huge}))
    assert raised.value.retryable is False
    assert raised.value.evidence["file"] == "Dockerfile"
