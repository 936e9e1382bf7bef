"""Events and task outputs the observability service owns."""

from __future__ import annotations

from typing import ClassVar

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


class VerificationOutputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    slo: Slo
    measurements: ProbeMeasurements
    verified: bool
    breaches: tuple[str, ...] = ()


class AnomalyDetected(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "anomaly.detected"
    SOURCE_SERVICE: ClassVar[str] = "observability"

    outputs: VerificationOutputs
