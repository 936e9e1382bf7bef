"""Events and task outputs the observability service owns."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from agentic_common.events.envelope import EventDetail


class Slo(BaseModel):
    """A service's objective. p95 and error rate are required; p50, p99 and availability optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    p95_latency_ms: float = Field(gt=0)
    max_error_rate: float = Field(ge=0, le=1)
    requests: int = Field(ge=1, le=10_000, description="How many probe requests a verification sends.")
    p50_latency_ms: float | None = Field(default=None, gt=0)
    p99_latency_ms: float | None = Field(default=None, gt=0)
    min_availability: float | None = Field(
        default=None, ge=0, le=1, description="Share of requests answered without a server error."
    )


class ProbeMeasurements(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    requests: int
    errors: int
    error_rate: float
    p50_latency_ms: float
    p95_latency_ms: float


class SloEvidence(BaseModel):
    """One SLO comparison as recorded: the query that measured it, the value, the threshold, the outcome."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    evidence_id: str = Field(description="Stable id summaries cite, e.g. 'prometheus:p95_latency_ms'.")
    metric: str
    query: str
    value: float
    threshold: float
    passed: bool
    source: str


class TokenUsage(BaseModel):
    """What writing a summary cost: the model, its tokens and the estimated price in USD."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(ge=0)
    estimated_cost_usd: float = Field(ge=0)


class VerificationOutputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    slo: Slo
    measurements: ProbeMeasurements
    verified: bool
    breaches: tuple[str, ...] = ()
    evidence: tuple[SloEvidence, ...] = ()
    sources: tuple[str, ...] = Field(default=(), description="Metrics sources that judged the SLO.")
    skipped_sources: tuple[str, ...] = Field(default=(), description="Sources that could not measure.")
    summary: str | None = Field(default=None, description="Evidence-linked deployment summary.")
    usage: TokenUsage | None = None


class AnomalyWindow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    start: datetime
    end: datetime


class SloCheck(BaseModel):
    """The monitor's evidence on one series, judged against the service's objective.

    ``actionable`` is the one answer to "may a machine act on this without a person": the objective
    is breached (not only a statistical deviation), on at least ``min_samples`` samples, by an effect
    of at least ``min_effect`` (``effect`` = (value - baseline) / objective). ``reasons`` names every
    condition that does not hold; remediation treats a non-actionable anomaly as advisory only.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: str = Field(description="'p95_latency_ms', 'error_rate' or 'health' (share of failed probes)")
    value: float
    baseline: float
    objective: float = Field(
        description="The threshold in force (environment table, or stricter service SLO)."
    )
    objective_source: str = Field(description="e.g. 'environment dev' or 'service SLO (stricter than dev)'")
    breached: bool
    samples: int = Field(ge=0, description="Requests in the window, or health probes in the failing streak.")
    min_samples: int = Field(ge=0)
    effect: float
    min_effect: float
    actionable: bool
    reasons: tuple[str, ...] = Field(default=(), description="Why it is not actionable (empty if it is).")

    def summary(self) -> str:
        """One line for people: what was measured against what, and whether a machine may act on it."""
        if self.actionable:
            return (
                f"{self.metric} {self.value:g} breaches the objective of {self.objective:g} "
                f"({self.objective_source}) on {self.samples} samples, effect {self.effect:g}: actionable"
            )
        return "advisory only: " + "; ".join(self.reasons)


class AnomalyDetected(EventDetail):
    """Something is wrong with a running service.

    ``kind`` says what found it: an SLO breach at verification (``outputs`` set), a statistical anomaly
    on a metric stream, the monitor finding a deployment unhealthy, or an Alertmanager alert.
    ``incident_id`` is stable for one incident, so consumers can de-duplicate.
    """

    DETAIL_TYPE: ClassVar[str] = "anomaly.detected"
    SOURCE_SERVICE: ClassVar[str] = "observability"

    kind: Literal["slo_breach", "metric_anomaly", "unhealthy", "alert"] = "slo_breach"
    outputs: VerificationOutputs | None = None
    service: str | None = None
    deployment_id: str | None = None
    environment: str | None = None
    incident_id: str | None = None
    series: str | None = Field(default=None, description="The metric series, e.g. 'p95_latency_ms'.")
    window: AnomalyWindow | None = None
    score: float | None = Field(default=None, description="Robust z-score (or 1.0 for up/down checks).")
    reason: str | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)
    check: SloCheck | None = Field(
        default=None,
        description="The monitor's SLO evidence; without an actionable check nothing is automated.",
    )
    summary: str | None = Field(default=None, description="Incident summary citing [evidence ids].")
    usage: TokenUsage | None = None
