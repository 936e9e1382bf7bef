"""Audit records of violations for the ``policy-violations`` table, with deterministic keys.

``violation_id`` depends only on the workflow, rule, file and line, and the sort key ``timestamp`` is
the task event's ``occurred_at``: a redelivered task writes the same items again instead of new ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from agentic_common.events.policy import Violation

from agentic_policy.logic.enforcement import is_blocking
from agentic_policy.logic.rules.base import rule_id


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
    parts = (workflow_id, rule_id(violation), violation.file or "", str(violation.line or ""))
    return "vio-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def build_records(
    *,
    workflow_id: str,
    task_id: str,
    observed_at: datetime,
    environment: str,
    artifact_sha256: str,
    violations: Sequence[Violation],
) -> list[ViolationRecord]:
    records: list[ViolationRecord] = []
    seen: dict[str, int] = {}
    for violation in violations:
        base = violation_id(workflow_id, violation)
        seen[base] = seen.get(base, 0) + 1
        key = (
            base if seen[base] == 1 else f"{base}-{seen[base]}"
        )  # rules emit one finding per place; belt and braces
        records.append(
            ViolationRecord(
                violation_id=key,
                timestamp=observed_at.isoformat(),
                workflow_id=workflow_id,
                task_id=task_id,
                environment=environment,
                artifact_sha256=artifact_sha256,
                blocking=is_blocking(violation, environment),
                violation=violation,
            )
        )
    return records
