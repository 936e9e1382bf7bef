"""What the scan reports: outputs, the blocking message people read, and the evidence of a blocked task.

Events stay well under EventBridge's 256 KB: at most ``MAX_REPORTED`` violations (most severe first)
travel in outputs and evidence; the policy-violations table holds every one.
"""

from __future__ import annotations

from collections.abc import Sequence

from agentic_common.events.policy import PolicyOutputs, Violation
from pydantic import BaseModel, ConfigDict

from agentic_policy.logic.evaluate import Evaluation
from agentic_policy.logic.rules.base import clip, rule_id

MAX_REPORTED = 50
MAX_IN_MESSAGE = 5
MAX_DESCRIPTION_CHARS = 300


class PolicyEvidence(BaseModel):
    """``TaskError.evidence`` of a blocked scan; ``failure_events`` rebuilds ``policy.violated`` from it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enforcement: str
    artifact_sha256: str
    files_scanned: int
    rules_evaluated: int
    violations: tuple[Violation, ...]
    violations_total: int
    blocking: tuple[Violation, ...]

    def outputs(self) -> PolicyOutputs:
        return PolicyOutputs(
            artifact_sha256=self.artifact_sha256,
            files_scanned=self.files_scanned,
            rules_evaluated=self.rules_evaluated,
            violations=self.violations,
        )


def policy_outputs(evaluation: Evaluation, artifact_sha256: str) -> PolicyOutputs:
    return PolicyOutputs(
        artifact_sha256=artifact_sha256,
        files_scanned=evaluation.files_scanned,
        rules_evaluated=evaluation.rules_evaluated,
        violations=evaluation.violations[:MAX_REPORTED],
    )


def policy_evidence(
    outputs: PolicyOutputs, evaluation: Evaluation, blocking: Sequence[Violation], environment: str
) -> PolicyEvidence:
    return PolicyEvidence(
        enforcement=environment,
        artifact_sha256=outputs.artifact_sha256,
        files_scanned=outputs.files_scanned,
        rules_evaluated=outputs.rules_evaluated,
        violations=outputs.violations,
        violations_total=len(evaluation.violations),
        blocking=tuple(blocking[:MAX_REPORTED]),
    )


def location(violation: Violation) -> str:
    if violation.file is None:
        return "repository"
    return f"{violation.file}:{violation.line}" if violation.line else violation.file


def describe(violation: Violation) -> str:
    """``DOCKER-001 (high) Dockerfile:1 <message>; fix: <remediation>`` (never a secret value)."""
    text = f"{rule_id(violation)} ({violation.severity}) {location(violation)} {violation.message}"
    if violation.remediation:
        text += f"; fix: {violation.remediation}"
    return clip(text, MAX_DESCRIPTION_CHARS)


def blocking_message(blocking: Sequence[Violation], environment: str, total: int) -> str:
    count = len(blocking)
    noun = "violation blocks" if count == 1 else "violations block"
    listed = " ".join(f"{n}) {describe(v)}." for n, v in enumerate(blocking[:MAX_IN_MESSAGE], start=1))
    more = f" … and {count - MAX_IN_MESSAGE} more." if count > MAX_IN_MESSAGE else ""
    others = total - count
    tail = (
        f" {others} lower-severity violations do not block {environment}; see the policy report."
        if others
        else ""
    )
    return (
        f"{count} policy {noun} {environment}: {listed}{more}{tail} "
        "Fix the generated repository (or its template) and run the workflow again."
    )
