"""The SLO of a verify task: read it from the task config and compare measurements against it."""

from __future__ import annotations

from typing import Any

from agentic_common.agent import TaskError
from agentic_common.events.observability import ProbeMeasurements, Slo
from pydantic import ValidationError

DEFAULT_PROBE_PATH = "/health"


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'slo'}: {item['msg']}" for item in error.errors()
    )


def slo_from_config(config: dict[str, Any]) -> Slo:
    raw = config.get("slo")
    if raw is None:
        raise TaskError(
            "the verify task has no SLO: add config.slo (p95_latency_ms, max_error_rate, requests) to the "
            "template's verify task",
            retryable=False,
        )
    try:
        return Slo.model_validate(raw)
    except ValidationError as exc:
        raise TaskError(
            f"the verify task's config.slo is invalid ({_problems(exc)}): fix it in the template",
            retryable=False,
        ) from exc


def probe_path_from_config(config: dict[str, Any]) -> str:
    path = config.get("probe_path", DEFAULT_PROBE_PATH)
    if not isinstance(path, str) or not path.startswith("/"):
        raise TaskError(
            f"config.probe_path must be a path starting with '/', got {path!r}: fix it in the template",
            retryable=False,
        )
    return path


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def find_breaches(slo: Slo, measured: ProbeMeasurements) -> tuple[str, ...]:
    """Readable descriptions of each way the measurements exceed the SLO (empty: the SLO is met)."""
    breaches = []
    if measured.p95_latency_ms > slo.p95_latency_ms:
        breaches.append(
            f"p95 latency {measured.p95_latency_ms:.1f} ms exceeds the SLO of {slo.p95_latency_ms:g} ms"
        )
    if measured.error_rate > slo.max_error_rate:
        breaches.append(
            f"error rate {_percent(measured.error_rate)} exceeds the SLO of {_percent(slo.max_error_rate)}"
        )
    return tuple(breaches)
