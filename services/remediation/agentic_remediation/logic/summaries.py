"""Readable summaries, one per kind of trigger: what went wrong and what a person should do."""

from __future__ import annotations

from collections.abc import Sequence

from agentic_common.events import EventDetail
from agentic_common.events.policy import PolicyViolated, Violation
from agentic_common.events.tasks import TaskFailed
from agentic_common.redact import redact

from agentic_remediation.logic.planning import PlannedAction

MAX_LISTED_VIOLATIONS = 50
TIER_WORDS = {
    "automated": "applied automatically",
    "assisted": "waiting for a person's approval",
    "advisory": "recommended only",
}


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


def _verification_finding(event: EventDetail) -> str | None:
    outputs = getattr(event, "outputs", None)
    measured = getattr(outputs, "measurements", None)
    if outputs is None or measured is None:
        return None
    return (
        f"The deployment at {outputs.url} breached its SLO: {'; '.join(outputs.breaches) or 'unspecified'}. "
        f"Measured over {measured.requests} requests: p50 {measured.p50_latency_ms:.1f} ms, "
        f"p95 {measured.p95_latency_ms:.1f} ms, error rate {measured.error_rate * 100:.1f}% "
        f"({measured.errors} errors)."
    )


def _monitor_finding(event: EventDetail) -> str:
    service = getattr(event, "service", None) or "the service"
    series = getattr(event, "series", None)
    name = series if isinstance(series, str) else getattr(series, "name", None) or "a monitored series"
    score = getattr(event, "score", None)
    scored = f" (anomaly score {score:.2f})" if isinstance(score, int | float) else ""
    check = getattr(event, "check", None)
    evidence = f" SLO evidence: {check.summary()}." if check is not None else ""
    return f"The monitor found {service} anomalous on {name}{scored}.{evidence}"


def anomaly_summary(event: EventDetail, previous_version: str | None = None) -> str:
    found = _verification_finding(event) or _monitor_finding(event)
    if previous_version:
        action = f"Roll back to the previous version {previous_version}, then investigate the new one"
    else:
        action = "If an earlier version of the service met its SLO, roll back to it; then investigate"
    return redact(f"{found} {action}: the service's logs, its dependencies and the changes since.")


def failed_task_summary(event: TaskFailed, advice: str) -> str:
    return redact(
        f"Task {event.task_id} ({event.agent}, attempt {event.attempt}) failed: {event.error} {advice}"
    )


def actions_summary(actions: Sequence[PlannedAction], why: str) -> str:
    """One line per action: what, where, which tier and why."""
    lines = [f"- {a.describe()}: {TIER_WORDS[a.tier]} ({a.reason})" for a in actions]
    return redact("\n".join([why, *lines]), limit=8_000)
