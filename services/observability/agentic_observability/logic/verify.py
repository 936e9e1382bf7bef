"""The ``verify`` action: probe a fresh deployment and hold it to its SLO.

A met SLO completes the task with ``VerificationOutputs``. A breach fails it (not retryable: the
same build would breach again) and, through ``failure_events``, publishes ``anomaly.detected``
with the same outputs so remediation can recommend what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from agentic_common.agent import TaskError, WorkResult
from agentic_common.events import EventDetail
from agentic_common.events.deployment import DeploymentOutputs
from agentic_common.events.observability import AnomalyDetected, VerificationOutputs
from agentic_common.events.tasks import TaskCreated
from agentic_common.upstream import upstream

from agentic_observability.logic.judge import Judgement, judge, probe_measurements
from agentic_observability.logic.monitor import Monitor
from agentic_observability.logic.probe_source import ProbeSource
from agentic_observability.logic.slo import probe_path_from_config, slo_from_config
from agentic_observability.logic.summary import Fact, TemplatedSummarizer
from agentic_observability.ports import MetricsSource, MetricsSourceError, MetricsTarget, Prober, Summarizer

DEPLOY_TASK = "deploy"
ACTIONS = ("verify",)


def deployment_from_upstream(task: TaskCreated) -> DeploymentOutputs:
    deployment = upstream(task, DEPLOY_TASK, DeploymentOutputs)
    parts = urlsplit(deployment.url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise TaskError(
            f"deployment url {deployment.url!r} is not an http(s) URL, so it cannot be probed",
            retryable=False,
        )
    return deployment


def facts_of(judgement: Judgement) -> list[Fact]:
    return [
        Fact(
            e.evidence_id,
            f"{e.metric} = {e.value:g} (threshold {e.threshold:g}, "
            f"{'met' if e.passed else 'FAILED'}; {e.source}: {e.query})",
            failed=not e.passed,
        )
        for e in judgement.evidence
    ]


def verify(
    task: TaskCreated,
    prober: Prober,
    sources: Sequence[MetricsSource] = (),
    summarizer: Summarizer | None = None,
) -> WorkResult:
    if task.action not in ACTIONS:
        raise TaskError(
            f"observability has no action {task.action!r}; it knows {list(ACTIONS)}", retryable=False
        )
    deployment = deployment_from_upstream(task)
    slo = slo_from_config(task.config)
    target = MetricsTarget(
        deployment.service_name,
        deployment.environment,
        deployment.url,
        deployment_id=deployment.deployment_id,
    )
    probe = ProbeSource(prober, probe_path_from_config(task.config), slo.requests)
    try:
        judgement = judge(slo, target, [probe, *sources])
    except MetricsSourceError as exc:
        raise TaskError(f"could not measure {deployment.url}: {exc}", retryable=exc.retryable) from exc
    summary = (summarizer or TemplatedSummarizer()).summarize(
        f"deployment {deployment.deployment_id} of {deployment.service_name}", facts_of(judgement)
    )
    outputs = VerificationOutputs(
        url=deployment.url,
        slo=slo,
        measurements=probe_measurements(judgement.measurements),
        verified=judgement.passed,
        breaches=judgement.reasons,
        evidence=judgement.evidence,
        sources=judgement.sources,
        skipped_sources=judgement.skipped,
        summary=summary.text,
        usage=summary.usage,
    )
    if not judgement.passed:
        raise TaskError(
            f"deployment at {deployment.url} failed SLO verification: {'; '.join(judgement.reasons)}. "
            "Check the service's logs and recent changes, or roll back to the previous version. "
            f"Summary: {summary.text}",
            retryable=False,
            evidence=outputs.model_dump(mode="json") | {"deployment": deployment.model_dump(mode="json")},
        )
    return WorkResult(outputs=outputs, events=[])


def make_work(
    prober: Prober,
    sources: Sequence[MetricsSource] = (),
    summarizer: Summarizer | None = None,
    monitor: Monitor | None = None,
) -> Callable[[TaskCreated], WorkResult]:
    """``work(task)``; ``monitor`` hears of each deployment judged (it watches it from then on)."""

    def work(task: TaskCreated) -> WorkResult:
        try:
            result = verify(task, prober, sources, summarizer)
        except TaskError as exc:
            if monitor is not None and exc.evidence.get("breaches"):
                judged = deployment_from_upstream(task)
                monitor.verified(judged.deployment_id, judged.environment, None, breached=True)
            raise
        if monitor is not None:
            judged = deployment_from_upstream(task)
            monitor.verified(
                judged.deployment_id, judged.environment, slo_from_config(task.config), breached=False
            )
        return result

    return work


def failure_events(task: TaskCreated, error: TaskError) -> Sequence[EventDetail]:
    """``anomaly.detected`` for an SLO breach; nothing for other failures (bad config, bad upstream)."""
    evidence = dict(error.evidence)
    if not evidence.get("breaches"):
        return ()
    deployment = evidence.pop("deployment", None) or {}
    outputs = VerificationOutputs.model_validate(evidence)
    return (
        AnomalyDetected(
            workflow_id=task.workflow_id,
            task_id=task.task_id,
            kind="slo_breach",
            outputs=outputs,
            service=deployment.get("service_name"),
            deployment_id=deployment.get("deployment_id"),
            environment=deployment.get("environment"),
            incident_id=f"slo:{deployment.get('deployment_id', task.workflow_id)}",
            series="slo",
            score=1.0,
            reason="; ".join(outputs.breaches),
        ),
    )
