"""The ``scan-repository`` task: fetch codegen's artifact, evaluate it, record, report, comment, enforce.

``RepositoryScan`` is the TaskAgent's ``work``; ``failure_events`` is its ``failure_events`` hook and
turns the evidence of a blocked scan into ``policy.violated``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from agentic_common.agent import TaskError, WorkResult
from agentic_common.artifact_store import ArtifactIntegrityError, ArtifactStore
from agentic_common.environments import UnknownEnvironmentError
from agentic_common.events import EventDetail
from agentic_common.events.artifacts import ArtifactRef
from agentic_common.events.policy import PolicyValidated, PolicyViolated
from agentic_common.events.tasks import TaskCreated

from agentic_policy.logic.archive import ArchiveLimits, UnsafeArchiveError, read_repository
from agentic_policy.logic.compliance_report import report_json, report_markdown
from agentic_policy.logic.decisions import DecisionRecord
from agentic_policy.logic.evaluate import Evaluation
from agentic_policy.logic.input_limits import InputTooLargeError
from agentic_policy.logic.merge_request import comment_findings
from agentic_policy.logic.records import build_records
from agentic_policy.logic.report import PolicyEvidence, blocking_message, policy_evidence, policy_outputs
from agentic_policy.logic.service import PolicyService
from agentic_policy.logic.task_inputs import codegen_outputs, environment_of
from agentic_policy.ports import MergeRequestCommenter, ViolationRecorder

log = logging.getLogger(__name__)

ACTION = "scan-repository"


@dataclass(frozen=True)
class RepositoryScan:
    artifacts: ArtifactStore
    recorder: ViolationRecorder
    service: PolicyService
    commenter: MergeRequestCommenter | None = None
    limits: ArchiveLimits = field(default_factory=ArchiveLimits)

    def __call__(self, task: TaskCreated) -> WorkResult:
        if task.action != ACTION:
            raise TaskError(
                f"the policy agent has no action {task.action!r}; it knows {ACTION!r}", retryable=False
            )
        environment = environment_of(task)
        codegen = codegen_outputs(task)
        files = self._read(codegen.artifact)
        try:
            evaluation, decision = self.service.evaluate(
                files, environment, codegen.service_name, workflow_id=task.workflow_id
            )
        except UnknownEnvironmentError as exc:
            raise TaskError(f"{exc}; fix the workflow's environment parameter", retryable=False) from exc
        except InputTooLargeError as exc:
            raise TaskError(
                f"the repository cannot be scanned within policy's limits: {exc.message}. Policy does not "
                "evaluate part of a repository; make the file smaller and run the workflow again.",
                retryable=False,
                evidence={"file": exc.path, "reason": exc.message},
            ) from exc
        self.recorder.record(
            build_records(
                workflow_id=task.workflow_id,
                task_id=task.task_id,
                observed_at=task.occurred_at,
                artifact_sha256=codegen.artifact.sha256,
                evaluation=evaluation,
            )
        )
        reports = self._store_reports(task, evaluation, decision, codegen.service_name)
        if self.commenter is not None and codegen.merge_request_iid is not None:
            comment_findings(self.commenter, codegen, evaluation, decision)
        log.info(
            "evaluated %d files of %s for %s: %d violations, %d blocking, %d waived",
            evaluation.files_scanned,
            codegen.service_name,
            environment,
            len(evaluation.violations),
            len(evaluation.blocking),
            len(evaluation.waived),
        )
        outputs = policy_outputs(evaluation, codegen.artifact.sha256, decision.decision_id, reports)
        if evaluation.blocking:
            raise TaskError(
                blocking_message(evaluation.blocking, environment, len(evaluation.violations)),
                retryable=False,
                evidence=policy_evidence(outputs, evaluation).model_dump(mode="json"),
            )
        return WorkResult(
            outputs=outputs,
            events=[PolicyValidated(workflow_id=task.workflow_id, task_id=task.task_id, outputs=outputs)],
        )

    def _store_reports(
        self, task: TaskCreated, evaluation: Evaluation, decision: DecisionRecord, subject: str
    ) -> tuple[ArtifactRef, ArtifactRef]:
        prefix = f"reports/policy/{task.workflow_id}/{task.task_id}"
        as_json = self.artifacts.put(
            f"{prefix}/report.json", report_json(evaluation, decision), "application/json"
        )
        markdown = report_markdown(evaluation, decision, subject).encode()
        as_markdown = self.artifacts.put(f"{prefix}/report.md", markdown, "text/markdown")
        return as_json, as_markdown

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


def failure_events(task: TaskCreated, error: TaskError) -> Sequence[EventDetail]:
    """``policy.violated`` for a scan that blocked; nothing for other failures (bad input, bad artifact)."""
    if "blocking" not in error.evidence:
        return ()
    outputs = PolicyEvidence.model_validate(error.evidence).outputs()
    return (PolicyViolated(workflow_id=task.workflow_id, task_id=task.task_id, outputs=outputs),)
