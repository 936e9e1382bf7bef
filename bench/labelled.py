"""Labelled synthetic metric series (seeded) and precision/recall of a detector on them.

A series is a daily-like seasonal curve plus Gaussian noise, with injected anomalies of known
position: spikes (1 point), dips (1 point) and short level shifts (3-6 points).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agentic_observability.logic.anomaly import RobustDetector, Score, detect


@dataclass(frozen=True)
class LabelledSeries:
    name: str
    values: list[float]
    anomalies: list[tuple[int, int]]  # [start, end] inclusive


def make_series(
    seed: int, length: int = 1440, period: int = 96, anomalies: int = 8, seasonal: bool = True
) -> LabelledSeries:
    rng = random.Random(seed)
    level, amplitude, noise = rng.uniform(50, 200), rng.uniform(0.2, 0.5), rng.uniform(0.02, 0.06)
    amplitude = amplitude if seasonal else 0.0
    values = [
        level * (1 + amplitude * math.sin(2 * math.pi * t / period)) + rng.gauss(0, level * noise)
        for t in range(length)
    ]
    spans: list[tuple[int, int]] = []
    slots = rng.sample(range(4 * period // 20, length // 20), anomalies)  # after 4 periods of history
    for slot in sorted(slots):
        start = slot * 20 + rng.randrange(0, 10)
        kind = rng.choice(("spike", "dip", "shift"))
        end = start if kind != "shift" else start + rng.randrange(2, 6)
        size = level * noise * rng.uniform(5, 10)  # 5 to 10 standard deviations of the noise
        for t in range(start, end + 1):
            values[t] += -size if kind == "dip" else size
        spans.append((start, end))
    return LabelledSeries(f"synthetic-{seed}", values, spans)


@dataclass(frozen=True)
class Quality:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0


def windows(scores: Sequence[Score]) -> list[tuple[int, int]]:
    """Consecutive anomalous points grouped into [start, end] windows."""
    spans: list[tuple[int, int]] = []
    for s in scores:
        if not s.anomalous:
            continue
        if spans and spans[-1][1] == s.index - 1:
            spans[-1] = (spans[-1][0], s.index)
        else:
            spans.append((s.index, s.index))
    return spans


def _overlaps(a: tuple[int, int], b: tuple[int, int], slack: int = 1) -> bool:
    return a[0] <= b[1] + slack and b[0] <= a[1] + slack


def evaluate(series: LabelledSeries, detector: RobustDetector) -> Quality:
    """Event level: a detected window is right if it overlaps a labelled anomaly (±1 point)."""
    found = windows(detect(series.values, detector))
    tp = sum(1 for f in found if any(_overlaps(f, a) for a in series.anomalies))
    hit = sum(1 for a in series.anomalies if any(_overlaps(f, a) for f in found))
    return Quality(
        true_positives=hit, false_positives=len(found) - tp, false_negatives=len(series.anomalies) - hit
    )


def evaluate_many(
    seeds: Sequence[int], factory: Callable[[], RobustDetector], period: int = 96, seasonal: bool = True
) -> Quality:
    totals = [evaluate(make_series(seed, period=period, seasonal=seasonal), factory()) for seed in seeds]
    return Quality(
        sum(q.true_positives for q in totals),
        sum(q.false_positives for q in totals),
        sum(q.false_negatives for q in totals),
    )
