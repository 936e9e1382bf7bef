"""The probe as a metrics source: send the SLO's number of requests and measure what came back.

Sees what a client sees (connection refused and timeouts count as errors), which ``/metrics`` cannot.
"""

from __future__ import annotations

from agentic_common.slo import Measurements

from agentic_observability.logic.measurements import nearest_rank
from agentic_observability.ports import MetricsTarget, Prober, Reading


class ProbeSource:
    name = "probe"

    def __init__(self, prober: Prober, path: str, requests: int) -> None:
        self._prober = prober
        self._path = path
        self._requests = requests

    def read(self, target: MetricsTarget) -> Reading:
        url = target.url.rstrip("/") + self._path
        samples = self._prober.probe(url, self._requests)
        latencies = [s.latency_ms for s in samples]
        measurements = Measurements(
            requests=len(samples),
            errors=sum(1 for s in samples if not s.ok),
            p50_ms=round(nearest_rank(latencies, 50), 3) if samples else 0.0,
            p95_ms=round(nearest_rank(latencies, 95), 3) if samples else 0.0,
            p99_ms=round(nearest_rank(latencies, 99), 3) if samples else 0.0,
        )
        probe = f"GET {url} x{self._requests}"
        names = (
            "requests",
            "error_rate",
            "availability",
            "p50_latency_ms",
            "p95_latency_ms",
            "p99_latency_ms",
        )
        return Reading(measurements, {name: f"{probe} ({name})" for name in names})
