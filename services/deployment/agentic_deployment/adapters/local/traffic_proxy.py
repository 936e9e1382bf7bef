"""A loopback HTTP proxy in front of the versions of one service: splits traffic and measures it.

Requests go to a version picked by the weighted split; ``X-Agentic-Version: <version>`` pins a request
to one version (how blue-green probes green before it takes traffic). Each answer is recorded for its
version: latency, and whether it was a server error (5xx, or the version could not be reached → 502).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from agentic_common.slo import Measurements

from agentic_deployment.adapters.local.traffic_split import NoBackendError, WeightedSplit
from agentic_deployment.adapters.local.traffic_stats import TrafficStats

log = logging.getLogger(__name__)
PIN_HEADER = "X-Agentic-Version"
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "proxy-authorization",
        "proxy-authenticate",
        "host",
        "content-length",
    }
)


class TrafficProxy:
    def __init__(self, timeout_seconds: float = 10.0, port: int = 0) -> None:
        """``port`` 0 takes a free one; a given port (the line's address before a worker restart) that
        cannot be bound any more falls back to a free one, logged."""
        self.split = WeightedSplit()
        self.stats = TrafficStats()
        self._backends: dict[str, str] = {}
        self._lock = threading.Lock()
        self._client = httpx.Client(timeout=timeout_seconds, trust_env=False)
        try:
            self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        except OSError as exc:
            log.warning("cannot listen on 127.0.0.1:%d again (%s); the line gets a new address", port, exc)
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="traffic-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add_version(self, version: str, url: str) -> None:
        with self._lock:
            self._backends[version] = url

    def remove_version(self, version: str) -> None:
        with self._lock:
            self._backends.pop(version, None)
        self.split.set({v: w for v, w in self.split.weights().items() if v != version})

    def route(self, weights: Mapping[str, int]) -> None:
        unknown = set(weights) - set(self.versions())
        if unknown:
            raise ValueError(f"cannot route to unknown versions {sorted(unknown)}")
        self.split.set(weights)
        log.info("traffic split for %s is now %s", self.url, dict(weights))

    def new_window(self) -> None:
        self.stats.new_window()

    def window(self, version: str) -> Measurements:
        return self.stats.window(version)

    def versions(self) -> dict[str, str]:
        with self._lock:
            return dict(self._backends)

    def backend_for(self, pinned: str | None) -> tuple[str, str]:
        version = pinned if pinned else self.split.pick()
        with self._lock:
            if version not in self._backends:
                raise NoBackendError(f"version {version!r} is not behind this proxy")
            return version, self._backends[version]

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes, pinned: str | None
    ) -> tuple[int, dict[str, str], bytes]:
        try:
            version, backend = self.backend_for(pinned)
        except NoBackendError as exc:
            return 503, {"content-type": "text/plain"}, f"no version takes traffic: {exc}".encode()
        started = time.perf_counter()
        try:
            answer = self._client.request(method, backend + path, headers=headers, content=body)
            status, out_headers, content = answer.status_code, dict(answer.headers), answer.content
        except httpx.HTTPError as exc:
            status, out_headers, content = 502, {"content-type": "text/plain"}, f"{version}: {exc}".encode()
        self.stats.record(version, (time.perf_counter() - started) * 1000, status >= 500)
        return status, out_headers, content

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._client.close()


def _handler_for(proxy: TrafficProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # The status line and headers go out in one write and the body in a second: with Nagle on, the
        # body waits for the client's delayed ACK of the first (~40 ms per answer on loopback).
        disable_nagle_algorithm = True

        def _proxy(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {
                k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {PIN_HEADER.lower()}
            }
            status, out_headers, content = proxy.forward(
                self.command, self.path, headers, body, self.headers.get(PIN_HEADER)
            )
            self.send_response(status)
            for name, value in out_headers.items():
                if name.lower() not in HOP_BY_HOP | {"content-encoding"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _proxy  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            log.debug("proxy %s", format % args)

    return Handler
