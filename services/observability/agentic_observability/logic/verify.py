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
from pydantic import ValidationError

from agentic_observability.logic.measurements import measure
from agentic_observability.logic.slo import find_breaches, probe_path_from_config, slo_from_config
from agentic_observability.ports import Prober

DEPLOY_TASK = "deploy"
ACTIONS = ("verify",)


def deployment_from_upstream(task: TaskCreated) -> DeploymentOutputs:
    raw = task.upstream.get(DEPLOY_TASK)
    if raw is None:
        raise TaskError(
            f"the verify task needs the outputs of the {DEPLOY_TASK!r} task, but upstream has only "
            f"{sorted(task.upstream)}: make verify depend on {DEPLOY_TASK!r} in the template",
            retryable=False,
        )
    try:
        deployment = DeploymentOutputs.model_validate(raw)
    except ValidationError as exc:
        raise TaskError(
            f"the {DEPLOY_TASK!r} task's outputs are not DeploymentOutputs ({exc.error_count()} problems): "
            "the deployment service and observability disagree on the contract",
            retryable=False,
        ) from exc
    parts = urlsplit(deployment.url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise TaskError(
            f"deployment url {deployment.url!r} is not an http(s) URL, so it cannot be probed",
            retryable=False,
        )
    return deployment


def probe_target(url: str, path: str) -> str:
    return url.rstrip("/") + path


def verify(task: TaskCreated, prober: Prober) -> WorkResult:
    if task.action not in ACTIONS:
        raise TaskError(
            f"observability has no action {task.action!r}; it knows {list(ACTIONS)}", retryable=False
        )
    deployment = deployment_from_upstream(task)
    slo = slo_from_config(task.config)
    target = probe_target(deployment.url, probe_path_from_config(task.config))
    measured = measure(prober.probe(target, slo.requests))
    breaches = find_breaches(slo, measured)
    outputs = VerificationOutputs(
        url=deployment.url, slo=slo, measurements=measured, verified=not breaches, breaches=breaches
    )
    if breaches:
        raise TaskError(
            f"deployment at {deployment.url} failed SLO verification: {'; '.join(breaches)}. "
            "Check the service's logs and recent changes, or roll back to the previous version",
            retryable=False,
            evidence={
                "url": deployment.url,
                "measurements": measured.model_dump(mode="json"),
                "slo": slo.model_dump(mode="json"),
                "breaches": list(breaches),
            },
        )
    return WorkResult(outputs=outputs, events=[])


def make_work(prober: Prober) -> Callable[[TaskCreated], WorkResult]:
    return lambda task: verify(task, prober)


def failure_events(task: TaskCreated, error: TaskError) -> Sequence[EventDetail]:
    """``anomaly.detected`` for an SLO breach; nothing for other failures (bad config, bad upstream)."""
    evidence = error.evidence
    if not evidence.get("breaches"):
        return ()
    outputs = VerificationOutputs(
        url=evidence["url"],
        slo=evidence["slo"],
        measurements=evidence["measurements"],
        verified=False,
        breaches=tuple(evidence["breaches"]),
    )
    return (AnomalyDetected(workflow_id=task.workflow_id, task_id=task.task_id, outputs=outputs),)
