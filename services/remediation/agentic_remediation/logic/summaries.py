"""Readable summaries, one per kind of trigger: what went wrong and what a person should do."""

from __future__ import annotations

from agentic_common.events.observability import AnomalyDetected
from agentic_common.events.policy import PolicyViolated, Violation
from agentic_common.events.tasks import TaskFailed
from agentic_common.redact import redact

from agentic_remediation.logic.playbooks import FAILED_TASK_ADVICE

MAX_LISTED_VIOLATIONS = 50


def _location(violation: Violation) -> str:
    if not violation.file:
        return "(no file)"
    return f"{violation.file}:{violation.line}" if violation.line is not None else violation.file


def _violation_line(violation: Violation) -> str:
    hint = violation.remediation or "no hint given; see the rule's documentation"
    return (
        f"- {violation.rule} ({violation.severity}) at {_location(violation)}: {violation.message} "
        f"Fix: {hint}"
    )


def policy_summary(event: PolicyViolated) -> str:
    violations = event.outputs.violations
    lines = [
        f"Policy found {len(violations)} violation(s) in the generated repository. Fix each one in the "
        "template or its parameters, then run the workflow again:"
    ]
    lines += [_violation_line(v) for v in violations[:MAX_LISTED_VIOLATIONS]]
    if len(violations) > MAX_LISTED_VIOLATIONS:
        lines.append(f"... and {len(violations) - MAX_LISTED_VIOLATIONS} more (see the evidence).")
    return redact("\n".join(lines), limit=16_000)


def anomaly_summary(event: AnomalyDetected, previous_version: str | None = None) -> str:
    outputs, measured = event.outputs, event.outputs.measurements
    found = (
        f"The deployment at {outputs.url} breached its SLO: {'; '.join(outputs.breaches) or 'unspecified'}. "
        f"Measured over {measured.requests} requests: p50 {measured.p50_latency_ms:.1f} ms, "
        f"p95 {measured.p95_latency_ms:.1f} ms, error rate {measured.error_rate * 100:.1f}% "
        f"({measured.errors} errors)."
    )
    if previous_version:
        action = f"Roll back to the previous version {previous_version}, then investigate the new one"
    else:
        action = "If an earlier version of the service met its SLO, roll back to it; then investigate"
    return redact(f"{found} {action}: the service's logs, its dependencies and the changes since.")


def failed_task_summary(event: TaskFailed, playbook: str) -> str:
    advice = FAILED_TASK_ADVICE[playbook]
    return redact(
        f"Task {event.task_id} ({event.agent}, attempt {event.attempt}) failed: {event.error} {advice}"
    )
