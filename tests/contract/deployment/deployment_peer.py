"""Local HTTP peers for the deployment agent's contract tests: a recording server with scripted routes.

Each fake speaks the subset of the real API the adapter uses (Terraform Cloud v2, ArgoCD v1, the
policy API), keeps state between calls like the real service, and records every request so a test
can assert what we sent: method, path, query, headers and body.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Route = Callable[[Seen, re.Match[str]], Reply]


class RecordingServer:
    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Route]] = []
        self.seen: list[Seen] = []
        self.overrides: dict[tuple[str, str], Reply] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                seen = Seen(
                    self.command,
                    parts.path,
                    dict(parse_qsl(parts.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                server.seen.append(seen)
                reply = server.dispatch(seen)
                if reply.delay:
                    threading.Event().wait(reply.delay)
                data = (
                    b""
                    if reply.body is None
                    else (reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode())
                )
                self.send_response(reply.status)
                for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    def route(self, method: str, pattern: str) -> Callable[[Route], Route]:
        def register(function: Route) -> Route:
            self.routes.append((method, re.compile(pattern + r"\Z"), function))
            return function

        return register

    def dispatch(self, seen: Seen) -> Reply:
        if (seen.method, seen.path) in self.overrides:
            return self.overrides[(seen.method, seen.path)]
        for method, pattern, function in self.routes:
            match = pattern.match(seen.path)
            if method == seen.method and match:
                return function(seen, match)
        return Reply(404, {"errors": [{"status": "404", "title": "not found"}]})

    def calls(self, method: str, pattern: str) -> list[Seen]:
        regex = re.compile(pattern + r"\Z")
        return [s for s in self.seen if s.method == method and regex.match(s.path)]

    def start(self) -> RecordingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
