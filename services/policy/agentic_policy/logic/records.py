"""Audit records of violations for the ``policy-violations`` table, with deterministic keys.

``violation_id`` depends only on the workflow, rule, file, line and resource, and the sort key
``timestamp`` is the task event's ``occurred_at``: a redelivered task writes the same items again.
Waived violations are recorded too (``waiver_id`` set, never blocking).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from agentic_common.events.policy import Violation

from agentic_policy.logic.evaluate import Evaluation


@dataclass(frozen=True)
class ViolationRecord:
    violation_id: str
    timestamp: str
    workflow_id: str
    task_id: str
    environment: str
    artifact_sha256: str
    blocking: bool
    violation: Violation


def violation_id(workflow_id: str, violation: Violation) -> str:
    parts = (
        workflow_id,
        violation.rule,
        violation.file or "",
        str(violation.line or ""),
        violation.resource or "",
    )
    return "vio-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def build_records(
    *, workflow_id: str, task_id: str, observed_at: datetime, artifact_sha256: str, evaluation: Evaluation
) -> list[ViolationRecord]:
    records: list[ViolationRecord] = []
    seen: dict[str, int] = {}
    blocking = set(evaluation.blocking)
    for violation in (*evaluation.violations, *evaluation.waived):
        base = violation_id(workflow_id, violation)
        seen[base] = seen.get(base, 0) + 1
        records.append(
            ViolationRecord(
                violation_id=base if seen[base] == 1 else f"{base}-{seen[base]}",
                timestamp=observed_at.isoformat(),
                workflow_id=workflow_id,
                task_id=task_id,
                environment=evaluation.environment,
                artifact_sha256=artifact_sha256,
                blocking=violation in blocking,
                violation=violation,
            )
        )
    return records
