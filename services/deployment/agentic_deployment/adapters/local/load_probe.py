"""Synthetic probe traffic for a release gate: real GET requests through the traffic proxy."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor

import httpx

from agentic_deployment.adapters.local.traffic_proxy import PIN_HEADER


class HttpLoadProbe:
    def __init__(self, concurrency: int = 4, timeout_seconds: float = 5.0) -> None:
        self._concurrency = concurrency
        self._timeout = timeout_seconds

    def send(self, url: str, path: str, count: int, pin: str | None = None) -> None:
        headers = {PIN_HEADER: pin} if pin else {}
        with httpx.Client(base_url=url, timeout=self._timeout, trust_env=False, headers=headers) as client:

            def one(_: int) -> None:
                # the proxy records what the version did; a client-side error is not the version's
                with contextlib.suppress(httpx.HTTPError):
                    client.get(path)

            with ThreadPoolExecutor(max_workers=self._concurrency) as pool:
                list(pool.map(one, range(count)))
