"""Metric streams per (deployment, series): a robust detector each, and anomaly windows that open
on the first anomalous point and close on the next normal one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from agentic_observability.logic.anomaly import DetectorConfig, RobustDetector, Score


@dataclass(frozen=True)
class WindowEvent:
    key: tuple[str, str]
    opened: bool  # True: an anomaly window just opened; False: it just closed
    start: datetime
    at: datetime
    score: Score


@dataclass(frozen=True)
class Observation:
    """One point: its score, the window event it caused (if any) and since when a window is open."""

    score: Score
    window: WindowEvent | None
    open_since: datetime | None


class StreamWatch:
    def __init__(self, config: Callable[[], DetectorConfig] = DetectorConfig) -> None:
        self._config = config
        self._detectors: dict[tuple[str, str], RobustDetector] = {}
        self._open: dict[tuple[str, str], datetime] = {}

    def observe(self, key: tuple[str, str], at: datetime, value: float) -> Observation:
        """Feed one point; its window event is set when an anomaly window opens or closes."""
        detector = self._detectors.setdefault(key, RobustDetector(self._config()))
        score = detector.update(value)
        started = self._open.get(key)
        if score.anomalous and started is None:
            self._open[key] = at
            return Observation(score, WindowEvent(key, True, at, at, score), at)
        if not score.anomalous and started is not None:
            del self._open[key]
            return Observation(score, WindowEvent(key, False, started, at, score), None)
        return Observation(score, None, started)

    def forget(self, deployment_id: str) -> None:
        for key in [k for k in self._detectors if k[0] == deployment_id]:
            self._detectors.pop(key, None)
            self._open.pop(key, None)
