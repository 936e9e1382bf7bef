"""Turn a trigger event into an advisory recommendation (pure: no ports, no clock)."""

from __future__ import annotations

import hashlib
from typing import Any

from agentic_common.events import EventDetail
from agentic_common.events.observability import AnomalyDetected
from agentic_common.events.policy import PolicyViolated
from agentic_common.events.remediation import RemediationRecommended
from agentic_common.events.tasks import TaskFailed
from agentic_common.redact import redact

from agentic_remediation.logic.playbooks import TIER, playbook_for
from agentic_remediation.logic.summaries import anomaly_summary, failed_task_summary, policy_summary

MAX_EVIDENCE_VIOLATIONS = 100


def recommendation_id(trigger_event_id: str) -> str:
    """Deterministic: a redelivered trigger yields the same id, so the planner records it once."""
    return "rec-" + hashlib.sha256(trigger_event_id.encode()).hexdigest()[:16]


def _policy_evidence(event: PolicyViolated) -> dict[str, Any]:
    violations = event.outputs.violations
    return {
        "artifact_sha256": event.outputs.artifact_sha256,
        "violations": [v.model_dump(mode="json") for v in violations[:MAX_EVIDENCE_VIOLATIONS]],
        "violations_total": len(violations),
    }


def _summary_and_evidence(detail: EventDetail, playbook: str) -> tuple[str, dict[str, Any]]:
    if isinstance(detail, PolicyViolated):
        return policy_summary(detail), _policy_evidence(detail)
    if isinstance(detail, AnomalyDetected):
        return anomaly_summary(detail), detail.outputs.model_dump(mode="json")
    if isinstance(detail, TaskFailed):
        evidence = {
            "agent": detail.agent,
            "attempt": detail.attempt,
            "error": redact(detail.error),
            "retryable": detail.retryable,
            "evidence": detail.evidence,
        }
        return failed_task_summary(detail, playbook), evidence
    raise ValueError(f"{detail.DETAIL_TYPE} has a playbook ({playbook}) but no summary")


def recommend(detail: EventDetail) -> RemediationRecommended | None:
    """The recommendation for a trigger, or None when the trigger needs none (or another covers it)."""
    playbook = playbook_for(detail)
    if playbook is None:
        return None
    summary, evidence = _summary_and_evidence(detail, playbook)
    return RemediationRecommended(
        workflow_id=detail.workflow_id,
        task_id=detail.task_id,
        recommendation_id=recommendation_id(detail.event_id),
        tier=TIER,
        playbook=playbook,
        summary=summary,
        trigger=detail.DETAIL_TYPE,
        trigger_event_id=detail.event_id,
        evidence=evidence,
    )
