"""A small service for bench/remediation.py, run as its own process: the monitor probes and scrapes it
exactly as it does a generated service.

``GET /health`` answers 200; ``GET /work`` does a little CPU work and answers 200 (or 500 once the
process was told to fail with ``POST /fail``, a fault only a restart clears); ``GET /metrics`` exports
``http_request_duration_seconds`` (histogram) and ``http_requests_total{status}`` of ``/work``, as the
generated services do. Usage: ``python bench/remediation_target.py <port>``.
"""

from __future__ import annotations

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.buckets = [0] * len(BUCKETS)
        self.count = 0
        self.total = 0.0
        self.by_status: dict[str, int] = {}
        self.failing = False

    def observe(self, seconds: float, status: int) -> None:
        with self.lock:
            for i, upper in enumerate(BUCKETS):
                if seconds <= upper:
                    self.buckets[i] += 1
            self.count += 1
            self.total += seconds
            self.by_status[str(status)] = self.by_status.get(str(status), 0) + 1

    def text(self) -> str:
        with self.lock:
            lines = ["# TYPE http_request_duration_seconds histogram"]
            lines += [
                f'http_request_duration_seconds_bucket{{le="{upper}"}} {n}'
                for upper, n in zip(BUCKETS, self.buckets, strict=True)
            ]
            lines.append(f'http_request_duration_seconds_bucket{{le="+Inf"}} {self.count}')
            lines.append(f"http_request_duration_seconds_count {self.count}")
            lines.append(f"http_request_duration_seconds_sum {self.total}")
            lines.append("# TYPE http_requests_total counter")
            lines += [f'http_requests_total{{status="{s}"}} {n}' for s, n in sorted(self.by_status.items())]
            return "\n".join(lines) + "\n"


METRICS = Metrics()


def work() -> int:
    return sum(i * i for i in range(3000))


class Handler(BaseHTTPRequestHandler):
    def _answer(self, status: int, body: str, content_type: str = "text/plain") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/health":
            self._answer(200, "ok")
        elif self.path == "/metrics":
            self._answer(200, METRICS.text(), "text/plain; version=0.0.4")
        elif self.path == "/work":
            started = time.perf_counter()
            status = 500 if METRICS.failing else 200
            self._answer(status, str(work()))
            METRICS.observe(time.perf_counter() - started, status)
        else:
            self._answer(404, "not found")

    def do_POST(self) -> None:
        if self.path == "/fail":
            METRICS.failing = True
            self._answer(200, "failing from now on")
        else:
            self._answer(404, "not found")

    def log_message(self, format: str, *args: object) -> None:
        return


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
