"""Per-version request measurements the local proxy records: counts, server errors, latencies."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from agentic_common.slo import Measurements


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values (0.0 when there are none)."""
    if not sorted_values:
        return 0.0
    rank = max(int(-(-share * len(sorted_values) // 1)), 1)  # ceil(share * n), at least 1
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class VersionStats:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    total_requests: int = 0
    total_errors: int = 0

    def measurements(self) -> Measurements:
        ordered = sorted(self.latencies_ms)
        return Measurements(
            requests=len(ordered),
            errors=self.errors,
            p50_ms=percentile(ordered, 0.5),
            p95_ms=percentile(ordered, 0.95),
            p99_ms=percentile(ordered, 0.99),
        )


class TrafficStats:
    """Thread-safe: the proxy's handler threads record, the release logic reads one window at a time."""

    def __init__(self) -> None:
        self._by_version: dict[str, VersionStats] = {}
        self._lock = threading.Lock()

    def record(self, version: str, latency_ms: float, server_error: bool) -> None:
        with self._lock:
            stats = self._by_version.setdefault(version, VersionStats())
            stats.latencies_ms.append(latency_ms)
            stats.errors += int(server_error)
            stats.total_requests += 1
            stats.total_errors += int(server_error)

    def new_window(self) -> None:
        """Forget the current window's measurements (totals stay)."""
        with self._lock:
            for stats in self._by_version.values():
                stats.latencies_ms.clear()
                stats.errors = 0

    def window(self, version: str) -> Measurements:
        with self._lock:
            return self._by_version.get(version, VersionStats()).measurements()

    def totals(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {
                v: {"requests": s.total_requests, "errors": s.total_errors}
                for v, s in self._by_version.items()
            }
