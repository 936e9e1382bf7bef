"""Anomaly detection on a metric stream with robust statistics.

Each new point is compared with a baseline: the median of the same phase in earlier seasons (a
seasonal baseline, once ``seasons`` full periods are known) or else the rolling median of the last
``window`` points. Its score is the robust z-score of the residual: residual / (1.4826 · MAD of
recent residuals), so a noisy series needs a larger excursion than a quiet one. No fixed threshold
on the metric itself.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from dataclasses import dataclass
from statistics import median

MAD_TO_SIGMA = 1.4826


@dataclass(frozen=True)
class Score:
    index: int
    value: float
    baseline: float
    score: float
    anomalous: bool


@dataclass(frozen=True)
class DetectorConfig:
    """``window``: points in the rolling median; ``spread_window``: residuals in the MAD;
    ``period``/``seasons``: the seasonal baseline (None: rolling median only); ``threshold``: robust z."""

    window: int = 15
    spread_window: int = 96
    threshold: float = 4.0
    period: int | None = None
    seasons: int = 3
    warmup: int = 24
    min_relative_scale: float = 0.005

    def __post_init__(self) -> None:
        if self.window < 3 or self.spread_window < 5:
            raise ValueError(
                f"window ({self.window}) must be >= 3 and spread_window ({self.spread_window}) >= 5"
            )
        if self.period is not None and self.period < 2:
            raise ValueError(f"period must be at least 2 points, got {self.period}")


class RollingMedian:
    """Median of the last ``size`` values: a FIFO plus a sorted copy (bisect), O(log n) search per update."""

    def __init__(self, size: int) -> None:
        self._fifo: deque[float] = deque()
        self._sorted: list[float] = []
        self._size = size

    def __len__(self) -> int:
        return len(self._fifo)

    def add(self, value: float) -> None:
        if len(self._fifo) == self._size:
            old = self._fifo.popleft()
            del self._sorted[bisect_left(self._sorted, old)]
        self._fifo.append(value)
        insort(self._sorted, value)

    def median(self) -> float:
        n = len(self._sorted)
        middle = n // 2
        return self._sorted[middle] if n % 2 else (self._sorted[middle - 1] + self._sorted[middle]) / 2


class RobustDetector:
    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = c = config or DetectorConfig()
        self._recent = RollingMedian(c.window)
        self._spread = RollingMedian(c.spread_window)  # of |residual|: the MAD around a zero residual
        self._history: deque[float] = deque(maxlen=(c.period or 0) * c.seasons + 1)
        self._count = 0

    def _baseline(self) -> float:
        c = self.config
        if c.period and len(self._history) > c.period * c.seasons:
            # history[-1] is this very point: the same phase lies every period further back
            return median(self._history[-1 - c.period * k] for k in range(1, c.seasons + 1))
        return self._recent.median() if len(self._recent) else self._history[-1]

    def update(self, value: float) -> Score:
        index, c = self._count, self.config
        self._count += 1
        self._history.append(value)
        baseline = self._baseline()
        residual = value - baseline
        spread = self._spread.median() if len(self._spread) else 0.0
        scale = max(MAD_TO_SIGMA * spread, c.min_relative_scale * abs(baseline), 1e-9)
        score = abs(residual) / scale
        anomalous = len(self._spread) >= c.warmup and score > c.threshold
        # an anomalous point enters the rolling window as its baseline and leaves the spread alone,
        # so a spike neither drags the baseline nor widens what counts as normal
        self._recent.add(baseline if anomalous else value)
        if not anomalous:
            self._spread.add(abs(residual))
        return Score(index, value, baseline, round(score, 3), anomalous)


def detect(values: list[float], detector: RobustDetector) -> list[Score]:
    return [detector.update(v) for v in values]
