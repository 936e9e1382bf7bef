"""A tiny real HTTP service on loopback for the prober to measure, stopped after each test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class ServiceBehaviour:
    """``fail_every``: every n-th request to /health answers 500 (0: never)."""

    fail_every: int = 0
    seen: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def status_for(self, path: str) -> int:
        with self._lock:
            self.seen.append(path)
            count = len(self.seen)
        if path != "/health":
            return 404
        return 500 if self.fail_every and count % self.fail_every == 0 else 200


@dataclass
class RunningService:
    url: str
    behaviour: ServiceBehaviour


def _handler(behaviour: ServiceBehaviour) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = behaviour.status_for(self.path)
            body = b'{"status":"ok"}' if status == 200 else b'{"status":"error"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler


@pytest.fixture
def health_service() -> Iterator[RunningService]:
    behaviour = ServiceBehaviour()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(behaviour))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield RunningService(url=f"http://127.0.0.1:{server.server_address[1]}", behaviour=behaviour)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
