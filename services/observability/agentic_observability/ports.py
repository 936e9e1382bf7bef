"""Ports of the observability service: what the verification logic needs from the outside world."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from agentic_common.events.observability import Slo
from agentic_common.slo import Measurements

if TYPE_CHECKING:
    from agentic_observability.logic.summary import Fact, Summary


@dataclass(frozen=True)
class ProbeSample:
    """One probe request: how long it took and whether it succeeded (a 2xx answer)."""

    latency_ms: float
    ok: bool


class Prober(Protocol):
    def probe(self, url: str, requests: int) -> Sequence[ProbeSample]:
        """Send ``requests`` GET requests to ``url``; one sample per request, in order.

        A non-2xx answer, a connection error or a timeout is a sample with ``ok=False`` (never an
        exception): the caller decides what the error rate means.
        """


@dataclass(frozen=True)
class MetricsTarget:
    """What to measure: one service (in one environment), over the last ``window_seconds``."""

    service: str
    environment: str
    url: str
    window_seconds: int = 300
    deployment_id: str | None = None


@dataclass(frozen=True)
class Reading:
    """Measurements and, per metric name, the query (PromQL, CloudWatch stat, scrape) that produced it."""

    measurements: Measurements
    queries: Mapping[str, str]


class MetricsSourceError(RuntimeError):
    """The metrics source could not answer (unreachable, refused, bad query). The message says which."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class MetricsSource(Protocol):
    name: str

    def read(self, target: MetricsTarget) -> Reading:
        """Requests, errors and latency percentiles of ``target``; raises MetricsSourceError."""


@dataclass(frozen=True)
class DeploymentRow:
    """One item of the ``deployments`` table, as observability reads it (unknown statuses kept)."""

    deployment_id: str
    timestamp: datetime
    workflow_id: str
    service: str
    environment: str
    version: str
    status: str
    url: str | None = None


@dataclass(frozen=True)
class WorkflowRow:
    workflow_id: str
    template: str
    status: str
    created_at: datetime
    completed_at: datetime | None


class DeploymentsReader(Protocol):
    def deployments(self) -> list[DeploymentRow]:
        """Every deployment record (all history items)."""

    def workflows(self) -> list[WorkflowRow]:
        """Every workflow record (not its tasks)."""


class AlertLedger(Protocol):
    def open(self, fingerprint: str, service: str, ttl_seconds: int) -> bool:
        """Record an open incident for ``fingerprint``; False if one is already open (a duplicate)."""

    def close(self, fingerprint: str) -> None:
        """Forget the fingerprint, so that the next firing is a new incident."""


class DeclaredObjectives(Protocol):
    def declared(self, deployment: DeploymentRow) -> Slo | None:
        """The SLO the service declared for this deployment (its verification's), or None."""


class Summarizer(Protocol):
    def summarize(self, subject: str, facts: Sequence[Fact]) -> Summary:
        """Claims about ``subject`` built only from ``facts``; raises UnsupportedClaimError if unfounded."""
