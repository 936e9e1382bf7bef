"""Prometheus text exposition → request histograms, and quantiles from cumulative buckets."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from agentic_common.slo import Measurements

_SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>.*)\})?\s+(?P<value>\S+)")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
STATUS_LABELS = ("status", "status_code", "code")
REQUESTS_COUNTER = "http_requests_total"


@dataclass
class Histogram:
    """One histogram summed over every series but ``le``: cumulative bucket counts and error count."""

    buckets: dict[float, float] = field(default_factory=dict)
    count: float = 0.0
    errors: float = 0.0

    def minus(self, earlier: Histogram) -> Histogram:
        """The requests between two scrapes of the same counters."""
        return Histogram(
            buckets={le: n - earlier.buckets.get(le, 0.0) for le, n in self.buckets.items()},
            count=self.count - earlier.count,
            errors=self.errors - earlier.errors,
        )


def _is_error(labels: dict[str, str]) -> bool:
    return any(labels.get(name, "").startswith("5") for name in STATUS_LABELS)


def _samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    samples = []
    for line in text.splitlines():
        match = _SAMPLE.match(line.strip())
        if line.startswith("#") or not match:
            continue
        samples.append((match["name"], dict(_LABEL.findall(match["labels"] or "")), float(match["value"])))
    return samples


def parse_histogram(text: str, metric: str, counter: str = REQUESTS_COUNTER) -> Histogram | None:
    """Sum ``<metric>_bucket`` by ``le``; requests and 5xx errors from ``<metric>_count`` if it has a
    status label, else from the ``counter`` (``http_requests_total{status}``, as generated services
    export it). None if the histogram is absent."""
    histogram, seen, statused = Histogram(), False, False
    counted, counted_errors = 0.0, 0.0
    for name, labels, value in _samples(text):
        if name == f"{metric}_bucket" and "le" in labels:
            le = math.inf if labels["le"] == "+Inf" else float(labels["le"])
            histogram.buckets[le] = histogram.buckets.get(le, 0.0) + value
            seen = True
        elif name == f"{metric}_count":
            histogram.count += value
            histogram.errors += value if _is_error(labels) else 0.0
            statused = statused or any(label in labels for label in STATUS_LABELS)
        elif name == counter:
            counted += value
            counted_errors += value if _is_error(labels) else 0.0
    if not seen:
        return None
    if not statused and counted:
        histogram.count, histogram.errors = counted, counted_errors
    return histogram


def quantile(q: float, buckets: Iterable[tuple[float, float]]) -> float:
    """``histogram_quantile`` semantics: linear interpolation inside the bucket holding rank q·total."""
    ordered = sorted(buckets)
    if not ordered or ordered[-1][1] <= 0:
        return math.nan
    rank = q * ordered[-1][1]
    lower_bound, lower_count = 0.0, 0.0
    for upper, count in ordered:
        if count >= rank:
            if math.isinf(upper):
                return lower_bound
            width = count - lower_count
            return lower_bound + (upper - lower_bound) * ((rank - lower_count) / width if width else 1.0)
        lower_bound, lower_count = upper, count
    return lower_bound


def measurements_of(histogram: Histogram) -> Measurements:
    buckets = list(histogram.buckets.items())

    def ms(q: float) -> float:
        value = quantile(q, buckets)
        return 0.0 if math.isnan(value) else round(value * 1000, 3)

    requests = max(round(histogram.count), 0)
    errors = min(max(round(histogram.errors), 0), requests)
    return Measurements(requests=requests, errors=errors, p50_ms=ms(0.5), p95_ms=ms(0.95), p99_ms=ms(0.99))
