"""``DecisionCache`` in the process's memory: the most recently used entries, bounded."""

from __future__ import annotations

import threading
from collections import OrderedDict

from agentic_policy.logic.decision_cache import CachedRun

DEFAULT_ENTRIES = 512


class MemoryDecisionCache:
    def __init__(self, entries: int = DEFAULT_ENTRIES) -> None:
        self._entries = entries
        self._runs: OrderedDict[str, CachedRun] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> CachedRun | None:
        with self._lock:
            run = self._runs.get(key)
            if run is None:
                self.misses += 1
                return None
            self._runs.move_to_end(key)
            self.hits += 1
            return run

    def put(self, key: str, run: CachedRun) -> None:
        with self._lock:
            self._runs[key] = run
            self._runs.move_to_end(key)
            while len(self._runs) > self._entries:
                self._runs.popitem(last=False)
