"""The ``scan-repository`` task: fetch codegen's artifact, evaluate it, record, enforce, report.

``RepositoryScan`` is the TaskAgent's ``work``; ``failure_events`` is its ``failure_events`` hook and
turns the evidence of a blocked scan into ``policy.violated``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from agentic_common.agent import TaskError, WorkResult
from agentic_common.artifact_store import ArtifactIntegrityError, ArtifactStore
from agentic_common.events import EventDetail
from agentic_common.events.artifacts import ArtifactRef
from agentic_common.events.codegen import CodegenOutputs
from agentic_common.events.policy import PolicyValidated, PolicyViolated
from agentic_common.events.tasks import TaskCreated
from pydantic import ValidationError

from agentic_policy.logic.archive import ArchiveLimits, UnsafeArchiveError, read_repository
from agentic_policy.logic.enforcement import UnknownEnvironmentError, blocking_severities, blocking_violations
from agentic_policy.logic.evaluate import evaluate
from agentic_policy.logic.records import build_records
from agentic_policy.logic.repo import Repo
from agentic_policy.logic.report import PolicyEvidence, blocking_message, policy_evidence, policy_outputs
from agentic_policy.ports import ViolationRecorder

log = logging.getLogger(__name__)

ACTION = "scan-repository"
CODEGEN_TASK = "codegen"


@dataclass(frozen=True)
class RepositoryScan:
    artifacts: ArtifactStore
    recorder: ViolationRecorder
    limits: ArchiveLimits = field(default_factory=ArchiveLimits)

    def __call__(self, task: TaskCreated) -> WorkResult:
        if task.action != ACTION:
            raise TaskError(
                f"the policy agent has no action {task.action!r}; it knows {ACTION!r}", retryable=False
            )
        environment = environment_of(task)
        artifact = codegen_outputs(task).artifact
        repo = Repo(self._read(artifact))
        evaluation = evaluate(repo)
        blocking = blocking_violations(evaluation.violations, environment)
        self.recorder.record(
            build_records(
                workflow_id=task.workflow_id,
                task_id=task.task_id,
                observed_at=task.occurred_at,
                environment=environment,
                artifact_sha256=artifact.sha256,
                violations=evaluation.violations,
            )
        )
        log.info(
            "scanned %d files of %s for %s: %d violations, %d blocking",
            evaluation.files_scanned,
            artifact.key,
            environment,
            len(evaluation.violations),
            len(blocking),
        )
        outputs = policy_outputs(evaluation, artifact.sha256)
        if blocking:
            evidence = policy_evidence(outputs, evaluation, blocking, environment)
            raise TaskError(
                blocking_message(blocking, environment, len(evaluation.violations)),
                retryable=False,
                evidence=evidence.model_dump(mode="json"),
            )
        return WorkResult(
            outputs=outputs,
            events=[PolicyValidated(workflow_id=task.workflow_id, task_id=task.task_id, outputs=outputs)],
        )

    def _read(self, artifact: ArtifactRef) -> dict[str, bytes]:
        where = f"s3://{artifact.bucket}/{artifact.key}"
        try:
            return read_repository(self.artifacts.get(artifact), self.limits)
        except ArtifactIntegrityError as exc:
            raise TaskError(
                f"the codegen artifact failed its integrity check ({exc}); it was changed or corrupted "
                "after codegen stored it. Run the codegen task again to store a fresh artifact.",
                retryable=False,
                evidence={"artifact": where},
            ) from exc
        except UnsafeArchiveError as exc:
            raise TaskError(
                f"the codegen artifact {where} cannot be scanned safely: {exc}. Policy does not "
                "evaluate part of a repository; fix the codegen output and run the workflow again.",
                retryable=False,
                evidence={"artifact": where, "reason": str(exc)},
            ) from exc


def environment_of(task: TaskCreated) -> str:
    environment = task.parameters.get("environment")
    if not isinstance(environment, str):
        raise TaskError(
            "the task has no parameters.environment, so no enforcement level applies; "
            "set it to dev, staging or prod",
            retryable=False,
        )
    try:
        blocking_severities(environment)
    except UnknownEnvironmentError as exc:
        raise TaskError(f"{exc}; fix the workflow's environment parameter", retryable=False) from exc
    return environment


def codegen_outputs(task: TaskCreated) -> CodegenOutputs:
    upstream = task.upstream.get(CODEGEN_TASK)
    if upstream is None:
        raise TaskError(
            f"the policy task has no outputs of the {CODEGEN_TASK!r} task in upstream; the "
            f"workflow template must make policy depend on {CODEGEN_TASK!r}",
            retryable=False,
        )
    try:
        return CodegenOutputs.model_validate(upstream)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise TaskError(
            f"upstream[{CODEGEN_TASK!r}] is not valid codegen output ({problems})", retryable=False
        ) from exc


def failure_events(task: TaskCreated, error: TaskError) -> Sequence[EventDetail]:
    """``policy.violated`` for a scan that blocked; nothing for other failures (bad input, bad artifact)."""
    if "violations" not in error.evidence:
        return ()
    outputs = PolicyEvidence.model_validate(error.evidence).outputs()
    return (PolicyViolated(workflow_id=task.workflow_id, task_id=task.task_id, outputs=outputs),)
