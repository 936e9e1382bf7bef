"""The real Prober: sequential GET requests with httpx, each timed with ``time.perf_counter``."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx

from agentic_observability.ports import ProbeSample

log = logging.getLogger(__name__)


class HttpxProber:
    """Probes a URL directly.

    ``trust_env=False``: proxies from the environment are ignored, since a proxy in between would
    measure the proxy, and service URLs are internal (loopback locally).
    """

    def __init__(self, timeout_seconds: float = 5.0, clock: Callable[[], float] = time.perf_counter) -> None:
        self._timeout = httpx.Timeout(timeout_seconds)
        self._clock = clock

    def probe(self, url: str, requests: int) -> list[ProbeSample]:
        with httpx.Client(timeout=self._timeout, trust_env=False, follow_redirects=False) as client:
            return [self._one(client, url) for _ in range(requests)]

    def _one(self, client: httpx.Client, url: str) -> ProbeSample:
        started = self._clock()
        try:
            response = client.get(url)
        except httpx.RequestError as exc:  # connection refused, timeout, broken answer
            log.debug("probe of %s failed: %s", url, type(exc).__name__)
            return ProbeSample(latency_ms=(self._clock() - started) * 1000, ok=False)
        return ProbeSample(latency_ms=(self._clock() - started) * 1000, ok=response.is_success)
