"""Which version answers the next request: smooth weighted round robin (exact shares, no randomness).

With weights {old: 90, new: 10}, every run of 10 requests sends exactly one to ``new``, so a canary
step's measurements are a property of the split, not of luck.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping


class NoBackendError(LookupError):
    """No version takes traffic (every weight is 0)."""


class WeightedSplit:
    def __init__(self) -> None:
        self._weights: dict[str, int] = {}
        self._current: dict[str, int] = {}
        self._lock = threading.Lock()

    def set(self, weights: Mapping[str, int]) -> None:
        if any(w < 0 for w in weights.values()):
            raise ValueError(f"weights must not be negative: {dict(weights)}")
        with self._lock:
            self._weights = {name: w for name, w in weights.items() if w > 0}
            self._current = dict.fromkeys(self._weights, 0)

    def weights(self) -> dict[str, int]:
        with self._lock:
            return dict(self._weights)

    def pick(self) -> str:
        with self._lock:
            if not self._weights:
                raise NoBackendError("no version takes traffic")
            total = sum(self._weights.values())
            for name, weight in self._weights.items():
                self._current[name] += weight
            chosen = max(self._current, key=lambda name: self._current[name])
            self._current[chosen] -= total
            return chosen
