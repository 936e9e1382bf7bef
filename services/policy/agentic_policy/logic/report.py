"""What an evaluation reports: task outputs, the blocking message people read, the evidence of a block.

Events stay well under EventBridge's 256 KB: at most ``MAX_REPORTED`` violations (most severe first)
travel in outputs and evidence; the policy-violations table and the S3 report hold every one.
"""

from __future__ import annotations

from collections.abc import Sequence

from agentic_common.events.artifacts import ArtifactRef
from agentic_common.events.policy import PolicyOutputs, Violation
from pydantic import BaseModel, ConfigDict

from agentic_policy.logic.evaluate import Evaluation, clip

MAX_REPORTED = 50
MAX_IN_MESSAGE = 5


class PolicyEvidence(BaseModel):
    """``TaskError.evidence`` of a blocked scan; ``failure_events`` rebuilds ``policy.violated`` from it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enforcement: str
    policy: PolicyOutputs
    violations_total: int
    blocking: tuple[Violation, ...]
    violations: tuple[Violation, ...] = ()

    def outputs(self) -> PolicyOutputs:
        return self.policy


def policy_outputs(
    evaluation: Evaluation,
    artifact_sha256: str,
    decision_id: str | None = None,
    reports: tuple[ArtifactRef, ArtifactRef] | None = None,
) -> PolicyOutputs:
    return PolicyOutputs(
        artifact_sha256=artifact_sha256,
        files_scanned=evaluation.files_scanned,
        rules_evaluated=evaluation.rules_evaluated,
        violations=evaluation.violations[:MAX_REPORTED],
        waived=evaluation.waived[:MAX_REPORTED],
        environment=evaluation.environment,
        blocking=len(evaluation.blocking),
        bundle_version=evaluation.bundle_version,
        decision_id=decision_id,
        report=reports[0] if reports else None,
        report_markdown=reports[1] if reports else None,
    )


def policy_evidence(outputs: PolicyOutputs, evaluation: Evaluation) -> PolicyEvidence:
    return PolicyEvidence(
        enforcement=evaluation.environment,
        policy=outputs,
        violations_total=len(evaluation.violations),
        blocking=evaluation.blocking[:MAX_REPORTED],
        violations=outputs.violations,
    )


def location(violation: Violation) -> str:
    if violation.file is None:
        return "repository"
    return f"{violation.file}:{violation.line}" if violation.line else violation.file


def describe(violation: Violation) -> str:
    """``DOCKER-001 (high) Dockerfile:1 <message>; fix: <remediation>`` (never a secret value)."""
    text = f"{violation.rule} ({violation.severity}) {location(violation)} {violation.message}"
    if violation.remediation:
        text += f"; fix: {violation.remediation}"
    return clip(text)


def blocking_message(blocking: Sequence[Violation], environment: str, total: int) -> str:
    count = len(blocking)
    noun = "violation blocks" if count == 1 else "violations block"
    listed = " ".join(
        f"{n}) {describe(v).rstrip('.')}." for n, v in enumerate(blocking[:MAX_IN_MESSAGE], start=1)
    )
    more = f" … and {count - MAX_IN_MESSAGE} more." if count > MAX_IN_MESSAGE else ""
    others = total - count
    rule_ids = ", ".join(dict.fromkeys(v.rule for v in blocking))
    tail = f" Blocking rules: {rule_ids}." + (
        f" {others} lower-severity violations do not block {environment}; see the policy report."
        if others
        else ""
    )
    return (
        f"{count} policy {noun} {environment}: {listed}{more}{tail} "
        "Fix the generated repository (or its template) and run the workflow again."
    )
