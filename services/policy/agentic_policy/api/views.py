"""JSON views of evaluations and waivers (camelCase, as the planner API)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agentic_common.events.policy import Violation

from agentic_policy.logic.decision_findings import FindingsPage
from agentic_policy.logic.decisions import DecisionRecord
from agentic_policy.logic.evaluate import Evaluation
from agentic_policy.logic.waivers import Waiver


def violation_view(violation: Violation, blocking: bool) -> dict[str, Any]:
    view = violation.model_dump(mode="json", exclude_none=True)
    view["blocking"] = blocking
    return view


def validation_view(evaluation: Evaluation, decision: DecisionRecord, kind: str) -> dict[str, Any]:
    blocking = set(evaluation.blocking)
    return {
        "valid": evaluation.valid,
        "blocks": not evaluation.valid,
        "type": kind,
        "enforcement": {"environment": evaluation.environment, "mode": evaluation.mode},
        "violations": [violation_view(v, v in blocking) for v in evaluation.violations],
        "waived": [violation_view(v, False) for v in evaluation.waived],
        "waivers": [w.model_dump(mode="json") for w in decision.waivers],
        "engines": list(evaluation.engines),
        "digest": evaluation.digest,
        "bundleVersion": evaluation.bundle_version,
        "decisionId": decision.decision_id,
    }


def waiver_view(waiver: Waiver, now: datetime) -> dict[str, Any]:
    return waiver.model_dump(mode="json") | {"active": waiver.is_active(now)}


def decision_view(decision: DecisionRecord, page: FindingsPage) -> dict[str, Any]:
    """The record (snake_case, as stored) with one page of its findings, each waived one with its waiver."""
    waivers = {w.waiver_id: w.model_dump(mode="json") for w in decision.waivers}
    findings = []
    for finding in page.findings:
        view = finding.model_dump(mode="json")
        view["waiver"] = waivers.get(finding.waiver_id) if finding.waiver_id else None
        findings.append(view)
    return decision.model_dump(mode="json", exclude={"findings"}) | {
        "findings": findings,
        "findings_kept": len(decision.findings),
        "next_cursor": page.next_cursor,
    }
