"""Ports of the observability service: what the verification logic needs from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


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
