"""The playbook table: which playbook answers which trigger, deterministically.

Every recommendation in this version is ``advisory``: a person reads it and acts; nothing runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from agentic_common.events import EventDetail
from agentic_common.events.tasks import TaskFailed

TIER = "advisory"

FIX_POLICY_VIOLATIONS = "fix-policy-violations"
INVESTIGATE_SLO_BREACH = "investigate-slo-breach"
INSPECT_DEPLOYMENT_LOGS = "inspect-deployment-logs"
CHECK_TEMPLATE_PARAMETERS = "check-template-parameters"
MANUAL_INVESTIGATION = "manual-investigation"

# Triggers that always name their playbook.
EVENT_PLAYBOOKS: dict[str, str] = {
    "policy.violated": FIX_POLICY_VIOLATIONS,
    "anomaly.detected": INVESTIGATE_SLO_BREACH,
}


@dataclass(frozen=True)
class FailedTaskRule:
    """How to answer ``task.failed`` from one agent.

    ``covered_by_evidence``: when the failure's evidence holds this key, another event (policy.violated,
    anomaly.detected) already carries the failure and gets the one recommendation; this one is skipped.
    """

    playbook: str
    covered_by_evidence: str | None = None


FAILED_TASK_RULES: dict[str, FailedTaskRule] = {
    "deployment": FailedTaskRule(INSPECT_DEPLOYMENT_LOGS),
    "codegen": FailedTaskRule(CHECK_TEMPLATE_PARAMETERS),
    "policy": FailedTaskRule(MANUAL_INVESTIGATION, covered_by_evidence="violations"),
    "observability": FailedTaskRule(MANUAL_INVESTIGATION, covered_by_evidence="breaches"),
}
DEFAULT_FAILED_TASK_RULE = FailedTaskRule(MANUAL_INVESTIGATION)

# What a person should do, by playbook, for failed tasks (the other playbooks build richer summaries).
FAILED_TASK_ADVICE: dict[str, str] = {
    INSPECT_DEPLOYMENT_LOGS: (
        "Inspect the deployment logs for the step that failed (plan, apply, sync or health check), "
        "fix the cause, then run the workflow again."
    ),
    CHECK_TEMPLATE_PARAMETERS: (
        "Check the workflow's template parameters (serviceName, language, database, baseImage) against "
        "the template, correct them and submit the workflow again."
    ),
    MANUAL_INVESTIGATION: (
        "No playbook covers this failure: investigate it by hand, starting from the error and the "
        "evidence attached."
    ),
}


def playbook_for(detail: EventDetail) -> str | None:
    """The playbook for a trigger, or None when no recommendation should be made for it."""
    if isinstance(detail, TaskFailed):
        rule = FAILED_TASK_RULES.get(detail.agent, DEFAULT_FAILED_TASK_RULE)
        if rule.covered_by_evidence and detail.evidence.get(rule.covered_by_evidence):
            return None
        return rule.playbook
    return EVENT_PLAYBOOKS.get(detail.DETAIL_TYPE)
