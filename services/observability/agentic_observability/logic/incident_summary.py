"""Incident summaries for ``anomaly.detected``: facts from the event, claims citing them."""

from __future__ import annotations

from agentic_common.events.observability import AnomalyDetected

from agentic_observability.logic.summary import Fact
from agentic_observability.ports import Summarizer


def incident_facts(event: AnomalyDetected) -> list[Fact]:
    facts = [Fact("symptom", event.reason or event.kind, failed=True)]
    if event.window is not None:
        facts.append(
            Fact("window", f"from {event.window.start.isoformat()} to {event.window.end.isoformat()}")
        )
    if event.score is not None:
        facts.append(Fact("score", f"anomaly score {event.score:g} on series {event.series}"))
    if event.check is not None:
        facts.append(Fact("slo", event.check.summary(), failed=event.check.breached))
    facts.extend(Fact(f"evidence:{key}", f"{key} = {value}") for key, value in sorted(event.evidence.items()))
    return facts


def with_summary(event: AnomalyDetected, summarizer: Summarizer) -> AnomalyDetected:
    subject = f"{event.kind} incident of {event.service or 'unknown service'} in {event.environment or '?'}"
    summary = summarizer.summarize(subject, incident_facts(event))
    return event.model_copy(update={"summary": summary.text, "usage": summary.usage})
