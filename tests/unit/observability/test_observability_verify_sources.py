"""Verification with several metrics sources: evidence per source, skipped and failing sources."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from agentic_common.agent import TaskError
from agentic_common.events.tasks import TaskCreated
from agentic_common.slo import Measurements
from agentic_observability.logic.verify import verify
from agentic_observability.ports import MetricsSourceError, MetricsTarget, ProbeSample, Reading

MakeTask = Callable[..., TaskCreated]


class OkProber:
    def probe(self, url: str, requests: int) -> list[ProbeSample]:
        return [ProbeSample(10.0, True)] * requests


class Source:
    name = "prometheus"

    def __init__(self, measurements: Measurements | None = None, error: MetricsSourceError | None = None):
        self.measurements, self.error = measurements, error
        self.targets: list[MetricsTarget] = []

    def read(self, target: MetricsTarget) -> Reading:
        self.targets.append(target)
        if self.error:
            raise self.error
        assert self.measurements is not None
        return Reading(self.measurements, {"p95_latency_ms": "histogram_quantile(0.95, ...)"})


def test_every_source_leaves_evidence_and_the_summary_cites_it(make_task: MakeTask):
    source = Source(Measurements(1000, 2, 20, 120, 300))
    outputs = verify(make_task(), OkProber(), [source]).outputs
    assert outputs.verified is True
    assert outputs.sources == ("probe", "prometheus")
    ids = {e.evidence_id for e in outputs.evidence}
    assert {"probe:p95_latency_ms", "prometheus:p95_latency_ms", "prometheus:error_rate"} <= ids
    prom = next(e for e in outputs.evidence if e.evidence_id == "prometheus:p95_latency_ms")
    assert (prom.query, prom.value, prom.threshold) == ("histogram_quantile(0.95, ...)", 120, 500)
    assert source.targets[0].service == "orders"
    assert "[probe:" in (outputs.summary or "")


def test_a_breach_seen_only_by_the_metrics_source_fails_verification(make_task: MakeTask):
    source = Source(Measurements(1000, 80, 20, 120, 300))
    with pytest.raises(TaskError, match=r"prometheus: error rate 8\.0% exceeds"):
        verify(make_task(), OkProber(), [source])


def test_a_source_that_cannot_measure_this_service_is_skipped(make_task: MakeTask):
    source = Source(error=MetricsSourceError("no histogram", retryable=False))
    outputs = verify(make_task(), OkProber(), [source]).outputs
    assert outputs.sources == ("probe",)
    assert outputs.skipped_sources == ("prometheus: no histogram",)


def test_an_unreachable_source_makes_the_task_retry(make_task: MakeTask):
    source = Source(error=MetricsSourceError("Prometheus timed out"))
    with pytest.raises(TaskError, match="timed out") as caught:
        verify(make_task(), OkProber(), [source])
    assert caught.value.retryable is True


def test_a_source_with_no_traffic_yet_is_skipped_not_failed(make_task: MakeTask):
    # Given a fresh deployment whose /metrics has recorded nothing (the probe's /health is not counted)
    source = Source(Measurements(0, 0, 0, 0, 0))
    # When verified
    outputs = verify(make_task(), OkProber(), [source]).outputs
    # Then the probe alone judges it and the skip is recorded
    assert outputs.verified is True
    assert outputs.skipped_sources == ("prometheus: no requests recorded in the window",)
