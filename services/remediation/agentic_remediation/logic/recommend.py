"""The ``remediation.recommended`` record of a decision: summary and evidence for the workflow."""

from __future__ import annotations

import hashlib
from typing import Any

from agentic_common.events import EventDetail
from agentic_common.events.observability import AnomalyDetected
from agentic_common.events.policy import PolicyViolated
from agentic_common.events.remediation import RemediationRecommended
from agentic_common.events.tasks import TaskFailed
from agentic_common.redact import redact

from agentic_remediation.logic.decide import Decision
from agentic_remediation.logic.facts import trigger_key
from agentic_remediation.logic.summaries import (
    actions_summary,
    anomaly_summary,
    failed_task_summary,
    policy_summary,
)

MAX_EVIDENCE_VIOLATIONS = 100


def recommendation_id(trigger_event_id: str) -> str:
    """Deterministic: a redelivered trigger yields the same id, so the planner records it once."""
    return "rec-" + hashlib.sha256(trigger_event_id.encode()).hexdigest()[:16]


def _trigger_evidence(detail: EventDetail) -> dict[str, Any]:
    if isinstance(detail, PolicyViolated):
        violations = detail.outputs.violations
        return {
            "artifact_sha256": detail.outputs.artifact_sha256,
            "violations": [v.model_dump(mode="json") for v in violations[:MAX_EVIDENCE_VIOLATIONS]],
            "violations_total": len(violations),
        }
    if isinstance(detail, TaskFailed):
        return {
            "agent": detail.agent,
            "attempt": detail.attempt,
            "error": redact(detail.error),
            "retryable": detail.retryable,
            "evidence": detail.evidence,
        }
    outputs = getattr(detail, "outputs", None)
    found: dict[str, Any] = outputs.model_dump(mode="json") if outputs is not None else {}
    for name in ("series", "window", "score", "check"):
        value = getattr(detail, name, None)
        if value is not None:
            found[name] = value.model_dump(mode="json") if hasattr(value, "model_dump") else value
    return found


def _finding(detail: EventDetail, decision: Decision) -> str:
    if isinstance(detail, PolicyViolated):
        return policy_summary(detail)
    if isinstance(detail, TaskFailed):
        return failed_task_summary(detail, decision.playbook.advice)
    return anomaly_summary(detail)


def summary_of(detail: EventDetail, decision: Decision) -> str:
    finding = _finding(detail, decision)
    if all(a.action == "advise" for a in decision.actions):
        return finding
    why = f"Playbook {decision.playbook.ref} chosen by {decision.ranking.ranked_by}: {decision.choice.reason}"
    return redact(f"{finding}\n{actions_summary(decision.actions, why)}", limit=16_000)


def decision_evidence(decision: Decision) -> dict[str, Any]:
    return {
        "playbook_version": decision.playbook.version,
        "ranked_by": decision.ranking.ranked_by,
        "ranking": [
            {"playbook": c.playbook_id, "parameters": c.parameters, "reason": c.reason}
            for c in decision.ranking.choices
        ],
        "rejected_model_choices": list(decision.ranking.rejected),
        "actions": [
            {
                "action_id": a.action_id,
                "action": a.action,
                "tier": a.tier,
                "reason": a.reason,
                "parameters": a.parameters,
                "digest": a.digest,
                "target": a.target.as_dict() if a.target else None,
            }
            for a in decision.actions
        ],
    }


def recommendation(detail: EventDetail, decision: Decision) -> RemediationRecommended:
    tiers = [a.tier for a in decision.actions]
    tier = "automated" if "automated" in tiers else "assisted" if "assisted" in tiers else "advisory"
    return RemediationRecommended(
        workflow_id=detail.workflow_id,
        task_id=detail.task_id,
        recommendation_id=recommendation_id(trigger_key(detail)),
        tier=tier,
        playbook=decision.playbook.id,
        summary=summary_of(detail, decision),
        trigger=detail.DETAIL_TYPE,
        trigger_event_id=detail.event_id,
        evidence=_trigger_evidence(detail) | decision_evidence(decision),
        notify=advisory_notice(detail, tier),
    )


def advisory_notice(detail: EventDetail, tier: str) -> bool:
    """Which advisory findings are worth a person's attention in Slack.

    An anomaly on a service that still meets its objective is recorded only: under ordinary load the
    detector flags many such deviations, and telling people each one would bury the messages that
    matter. An objective breached without enough evidence to act (too few samples, too small an
    effect), or an anomaly that carries no SLO evidence (an Alertmanager alert someone configured), is
    told as advisory. A failed verification is told by its workflow's failure, and actions by their
    request and completion.
    """
    if not isinstance(detail, AnomalyDetected) or detail.kind == "slo_breach" or tier != "advisory":
        return False
    return detail.check is None or detail.check.breached
