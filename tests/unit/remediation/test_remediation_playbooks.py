"""Which playbook answers which trigger (shipped YAML playbooks, deterministic ranking), and its summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from agentic_common.events.observability import AnomalyDetected
from agentic_common.events.policy import PolicyViolated
from agentic_common.events.remediation import RemediationRecommended
from agentic_common.events.tasks import TaskFailed
from agentic_remediation.logic.recommend import recommendation_id
from agentic_remediation.logic.summaries import anomaly_summary

MakeFailed = Callable[..., TaskFailed]
Recommend = Callable[[Any], RemediationRecommended | None]


def test_policy_violations_get_the_fix_policy_violations_playbook(
    recommend: Recommend, policy_violated: PolicyViolated
) -> None:
    # When
    rec = recommend(policy_violated)
    # Then
    assert rec is not None
    assert (rec.playbook, rec.tier, rec.trigger) == ("fix-policy-violations", "advisory", "policy.violated")
    assert (rec.workflow_id, rec.task_id, rec.trigger_event_id) == ("wf-1", "policy", "evt-policy-1")


def test_the_policy_summary_lists_each_rule_location_and_hint(
    recommend: Recommend, policy_violated: PolicyViolated
) -> None:
    rec = recommend(policy_violated)
    assert rec is not None
    assert "2 violation(s)" in rec.summary
    assert (
        "dockerfile-non-root (high) at Dockerfile:12: runs as root. Fix: add USER app before CMD"
        in rec.summary
    )
    assert "k8s-resource-limits (medium) at k8s/deployment.yaml:" in rec.summary
    assert "no hint given" in rec.summary


def test_the_policy_evidence_carries_the_violations(
    recommend: Recommend, policy_violated: PolicyViolated
) -> None:
    rec = recommend(policy_violated)
    assert rec is not None
    assert [v["rule"] for v in rec.evidence["violations"]] == ["dockerfile-non-root", "k8s-resource-limits"]
    assert rec.evidence["violations_total"] == 2


def test_an_anomaly_gets_the_slo_breach_playbook_with_breaches_and_measurements(
    recommend: Recommend,
    anomaly_detected: AnomalyDetected,
) -> None:
    rec = recommend(anomaly_detected)
    assert rec is not None
    assert rec.playbook == "investigate-slo-breach"
    assert "p95 latency 812.3 ms exceeds the SLO of 500 ms" in rec.summary
    assert "p50 40.0 ms, p95 812.3 ms, error rate 12.0% (6 errors)" in rec.summary
    assert "roll back" in rec.summary
    assert rec.evidence["measurements"]["p95_latency_ms"] == 812.3
    assert anomaly_detected.outputs is not None
    assert rec.evidence["breaches"] == list(anomaly_detected.outputs.breaches)


def test_a_known_previous_version_is_named_in_the_rollback_advice(anomaly_detected: AnomalyDetected) -> None:
    summary = anomaly_summary(anomaly_detected, previous_version="abc123")
    assert "Roll back to the previous version abc123" in summary


@pytest.mark.parametrize(
    ("agent", "playbook"),
    [
        ("deployment", "inspect-deployment-logs"),
        ("codegen", "check-template-parameters"),
        ("remediation", "manual-investigation"),
    ],
)
def test_a_failed_task_gets_the_playbook_of_its_agent(
    recommend: Recommend, make_failed: MakeFailed, agent: str, playbook: str
) -> None:
    rec = recommend(make_failed(agent))
    assert rec is not None
    assert rec.playbook == playbook
    assert rec.trigger == "task.failed"
    assert f"Task {agent}-task ({agent}, attempt 2) failed: {agent} broke: exit status 1" in rec.summary
    assert rec.evidence["error"] == f"{agent} broke: exit status 1"


def test_a_policy_task_failure_with_violations_is_left_to_policy_violated(
    recommend: Recommend, make_failed: MakeFailed
) -> None:
    failed = make_failed("policy", evidence={"violations": [{"rule": "dockerfile-non-root"}]})
    assert recommend(failed) is None


def test_an_observability_failure_with_breaches_is_left_to_anomaly_detected(
    recommend: Recommend, make_failed: MakeFailed
) -> None:
    failed = make_failed("observability", evidence={"breaches": ["error rate 12.0% exceeds the SLO of 1.0%"]})
    assert recommend(failed) is None


@pytest.mark.parametrize("agent", ["policy", "observability"])
def test_a_policy_or_observability_failure_without_findings_needs_manual_investigation(
    recommend: Recommend, make_failed: MakeFailed, agent: str
) -> None:
    # Given a failure no other event covers (e.g. a broken configuration)
    rec = recommend(make_failed(agent, evidence={}))
    # Then someone must look at it
    assert rec is not None
    assert rec.playbook == "manual-investigation"


def test_the_recommendation_id_is_derived_from_the_trigger_event_id() -> None:
    first, again, other = (recommendation_id(e) for e in ("evt-1", "evt-1", "evt-2"))
    assert first == again
    assert first != other
    assert first.startswith("rec-")
    assert len(first) == len("rec-") + 16


def test_secrets_in_a_failure_message_do_not_reach_the_summary(
    recommend: Recommend, make_failed: MakeFailed
) -> None:
    failed: Any = make_failed("deployment").model_copy(
        update={"error": "apply failed: token=glpat-abcdefghij0123456789"}
    )
    rec = recommend(failed)
    assert rec is not None
    assert "glpat-" not in rec.summary
