"""A local stand-in for API Gateway (HTTP API): HTTP request → payload v2 event → the real handler.

It routes like the deployed HTTP API, from the topology's ``api_routes`` (longest path prefix wins, each
route's handler imported on first use), authorizes like API Gateway's JWT authorizer (every route not
marked public or shared-secret) and puts the claims in ``requestContext.authorizer.jwt.claims``, where
handlers read them. A shared-secret route (the Alertmanager webhook) reaches its handler without a JWT,
as in AWS: the handler verifies the secret.
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from agentic_common.topology import ApiRouteSpec, match_route

from agentic_local.auth import LocalVerifier, TokenError

MAX_BODY_BYTES = 1024 * 1024
log = logging.getLogger(__name__)
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class Router:
    """Path → (route, handler) from the topology's API routes; handlers are imported once, on first use."""

    def __init__(self, routes: tuple[ApiRouteSpec, ...], overrides: dict[str, Handler] | None = None) -> None:
        self._routes = routes
        self._handlers: dict[str, Handler] = dict(overrides or {})
        self._lock = threading.Lock()

    def route(self, path: str) -> ApiRouteSpec | None:
        return match_route(self._routes, path)

    def handler(self, route: ApiRouteSpec) -> Handler:
        with self._lock:
            if route.handler not in self._handlers:
                module, _, name = route.handler.partition(":")
                self._handlers[route.handler] = getattr(importlib.import_module(module), name)
            return self._handlers[route.handler]

    def prefixes(self) -> list[str]:
        return sorted(r.path_prefix for r in self._routes)


def build_event(
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes,
    *,
    claims: dict[str, Any] | None,
    source_ip: str,
) -> dict[str, Any]:
    parts = urlsplit(target)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    now = time.time()
    text = body.decode("utf-8", errors="replace") if body else None
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": parts.path,
        "rawQueryString": parts.query,
        "headers": headers,
        "queryStringParameters": query or None,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": headers.get("host", "localhost"),
            "domainPrefix": "local",
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
            "http": {
                "method": method,
                "path": parts.path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "authorizer": {"jwt": {"claims": claims, "scopes": None}} if claims else None,
        },
        "body": text,
        "isBase64Encoded": False,
    }


class _Context:
    memory_limit_in_mb = 1024

    def __init__(self, service: str) -> None:
        self.function_name = f"{service}-api"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{service}-api"
        self.aws_request_id = uuid.uuid4().hex

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def http_response(response: dict[str, Any]) -> tuple[int, bytes, dict[str, str]]:
    """Status, body and headers of an API Gateway v2 (payload 2.0) function response."""
    payload = response.get("body") or ""
    data = base64.b64decode(payload) if response.get("isBase64Encoded") else payload.encode()
    headers = {k: v for k, v in (response.get("headers") or {}).items() if k.lower() != "content-length"}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers.setdefault(name, ", ".join(values))
    return int(response.get("statusCode", 200)), data, headers


def make_request_handler(router: Router, verifier: LocalVerifier) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, code: str, message: str) -> None:
            body = json.dumps({"error": code, "message": message}).encode()
            self._send(status, body, {"Content-Type": "application/json"})

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._error(413, "payload_too_large", f"request body is over {MAX_BODY_BYTES} bytes")
                return
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            path = urlsplit(self.path).path
            route = router.route(path)
            if route is None:
                self._error(
                    404,
                    "not_found",
                    f"no route for {self.command} {path}; routes: " + ", ".join(router.prefixes()),
                )
                return
            try:
                # a shared-secret route (a webhook) has no JWT authorizer: its handler checks the secret
                jwt_free = route.public or route.shared_secret is not None
                claims = None if jwt_free else verifier.verify(headers.get("authorization"))
            except TokenError as exc:
                self._error(401, "unauthorized", str(exc))
                return
            event = build_event(
                self.command, self.path, headers, body, claims=claims, source_ip=self.client_address[0]
            )
            try:
                response = router.handler(route)(event, _Context(route.service))
            except Exception:  # as API Gateway does when the function fails: a 500, never a reset
                log.exception("the %s API handler failed on %s %s", route.service, self.command, path)
                self._error(
                    500,
                    "internal_error",
                    f"the {route.service} API failed to handle this request; see its log",
                )
                return
            self._send(*http_response(response))

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            return

    return RequestHandler


class LocalApiGateway:
    def __init__(self, router: Router, verifier: LocalVerifier, port: int, host: str = "127.0.0.1") -> None:
        self.router = router
        self._server = ThreadingHTTPServer((host, port), make_request_handler(router, verifier))
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self._thread: threading.Thread | None = None

    def start(self) -> LocalApiGateway:
        self._thread = threading.Thread(target=self._server.serve_forever, name="api-gateway", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
