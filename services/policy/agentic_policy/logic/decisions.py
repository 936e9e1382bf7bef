"""Decision records: what was evaluated (digest), against which bundle, where, and the outcome.

``decision_id`` is derived from the digest, bundle version, environment and the waivers applied, so
the same content evaluated the same way gives the same record (a redelivery rewrites it). An approval
or a waiver can be bound to exactly that content by its digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from agentic_policy.logic.decision_findings import Finding, findings_of
from agentic_policy.logic.evaluate import Evaluation
from agentic_policy.logic.waivers import Waiver


class AppliedWaiver(BaseModel):
    """A waiver the decision used, with who asked for it, who approved it and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    waiver_id: str
    rule: str
    resource: str | None
    environment: str | None
    reason: str
    owner: str
    created_by: str
    approved_by: str | None
    expires_at: datetime

    @classmethod
    def of(cls, waiver: Waiver) -> AppliedWaiver:
        return cls(**{name: getattr(waiver, name) for name in cls.model_fields})


class DecisionRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    decision_id: str
    subject: str
    digest: str
    bundle_version: str
    environment: str
    enforcement: str
    valid: bool
    violations: int
    blocking: int
    waived: tuple[str, ...]
    waivers: tuple[AppliedWaiver, ...] = ()
    engines: tuple[str, ...]
    evaluated_at: datetime
    workflow_id: str | None = None
    findings: tuple[Finding, ...] = ()  # at most decision_findings.MAX_KEPT, most severe first
    findings_total: int = 0


def decision_for(
    evaluation: Evaluation,
    subject: str,
    evaluated_at: datetime,
    workflow_id: str | None = None,
    known_waivers: Iterable[Waiver] = (),
) -> DecisionRecord:
    waivers = tuple(sorted({v.waiver_id for v in evaluation.waived if v.waiver_id}))
    by_id = {w.waiver_id: w for w in known_waivers}
    findings, total = findings_of(evaluation.violations, evaluation.waived, evaluation.blocking)
    identity = "\x1f".join(
        (subject, evaluation.digest, evaluation.bundle_version, evaluation.environment, *waivers)
    )
    return DecisionRecord(
        decision_id="dec-" + hashlib.sha256(identity.encode()).hexdigest()[:32],
        subject=subject,
        digest=evaluation.digest,
        bundle_version=evaluation.bundle_version,
        environment=evaluation.environment,
        enforcement=evaluation.mode,
        valid=evaluation.valid,
        violations=len(evaluation.violations),
        blocking=len(evaluation.blocking),
        waived=waivers,
        waivers=tuple(AppliedWaiver.of(by_id[w]) for w in waivers if w in by_id),
        engines=evaluation.engines,
        evaluated_at=evaluated_at,
        workflow_id=workflow_id,
        findings=findings,
        findings_total=total,
    )
