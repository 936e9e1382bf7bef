"""A local stand-in for API Gateway (HTTP API): HTTP request → payload v2 event → the real handler.

It routes like the deployed HTTP API, from the topology's ``api_routes`` (longest path prefix wins, each
route's handler imported on first use), authorizes like API Gateway's JWT authorizer (every route not
marked public or shared-secret) and puts the claims in ``requestContext.authorizer.jwt.claims``, where
handlers read them. A shared-secret route (the Alertmanager webhook) reaches its handler without a JWT,
as in AWS: the handler verifies the secret.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from agentic_common.api_contract import allowed_methods
from agentic_common.problems import PROBLEM_JSON, problem_bytes
from agentic_common.topology import ApiRouteSpec, match_route

from agentic_local import console_assets
from agentic_local.auth import LocalVerifier, TokenError
from agentic_local.docs_assets import PREFIX, asset, missing_detail
from agentic_local.gateway_input import BodyError, body_length, read_body
from agentic_local.lambda_instances import Handler, HandlerFailedError, InstancePool, LambdaContext

READ_TIMEOUT_SECONDS = 10.0
log = logging.getLogger(__name__)


class Router:
    """Path → (route, handler) from the topology's API routes.

    A function named by the topology runs as Lambda runs it: in a pool of separate processes (execution
    environments), started on demand up to ``instances``, each serving one request at a time, so
    concurrent requests are served side by side. An override (a handler object of this process, as
    tests pass) is one environment: its requests go through it one at a time, because Powertools keeps
    the request being resolved in state every resolver of a process shares (``BaseRouter.current_event``);
    two at once meet as 500s (``KeyError: '_route'``) or, worse, one request read with another's event.
    """

    def __init__(
        self,
        routes: tuple[ApiRouteSpec, ...],
        overrides: dict[str, Handler] | None = None,
        instances: int = 8,
    ) -> None:
        self._routes = routes
        self._overrides: dict[str, Handler] = dict(overrides or {})
        self._pools: dict[str, InstancePool] = {}
        self._instances = instances
        self._lock = threading.Lock()
        self.one_at_a_time = threading.Lock()

    def route(self, path: str) -> ApiRouteSpec | None:
        return match_route(self._routes, path)

    def _pool(self, route: ApiRouteSpec) -> InstancePool:
        with self._lock:
            if route.handler not in self._pools:
                self._pools[route.handler] = InstancePool(route.handler, route.service, self._instances)
            return self._pools[route.handler]

    def invoke(self, route: ApiRouteSpec, event: dict[str, Any]) -> dict[str, Any]:
        override = self._overrides.get(route.handler)
        if override is None:
            return self._pool(route)(event)
        with self.one_at_a_time:
            return override(event, LambdaContext(route.service))

    def warm(self, route: ApiRouteSpec) -> None:
        """Start one environment of the route's function (a cold start before the first request)."""
        if route.handler in self._overrides or self._pool(route).started:
            return
        try:
            self.invoke(route, build_event("GET", "/health", {}, b"", claims=None, source_ip="127.0.0.1"))
        except HandlerFailedError:
            log.exception("the %s API function failed to start", route.service)

    def prefixes(self) -> list[str]:
        return sorted(r.path_prefix for r in self._routes)

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        if pools:  # side by side: each pool's environments end within one grace period, not one per pool
            with ThreadPoolExecutor(max_workers=len(pools), thread_name_prefix="stop-pool") as stopping:
                list(stopping.map(lambda pool: pool.stop(), pools))


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


def http_response(response: dict[str, Any]) -> tuple[int, bytes, dict[str, str]]:
    """Status, body and headers of an API Gateway v2 (payload 2.0) function response."""
    payload = response.get("body") or ""
    data = base64.b64decode(payload) if response.get("isBase64Encoded") else payload.encode()
    headers = {k: v for k, v in (response.get("headers") or {}).items() if k.lower() != "content-length"}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers.setdefault(name, ", ".join(values))
    return int(response.get("statusCode", 200)), data, headers


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: the headers and the body go out in two writes, and with Nagle's algorithm the body
    # waited for the client's delayed ACK of the headers on a kept-alive connection: ~40 ms a response
    disable_nagle_algorithm = True
    timeout = READ_TIMEOUT_SECONDS  # a client that stops sending (headers or body) frees its thread
    router: Router
    verifier: LocalVerifier

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _problem(
        self, status: int, code: str, detail: str, headers: dict[str, str] | None = None, field: str = ""
    ) -> None:
        errors = [{"field": field, "problem": detail}] if field else None
        body = problem_bytes(status, code, detail, errors)
        self._send(status, body, {"Content-Type": PROBLEM_JSON} | (headers or {}))

    def _body(self) -> bytes | None:
        try:
            length = body_length(self.headers.get("Content-Length"), self.headers.get("Transfer-Encoding"))
            return read_body(self.rfile, length) if length else b""
        except BodyError as exc:
            self.close_connection = True  # the rest of the stream cannot be trusted
            refusal = exc.refusal
            self._problem(refusal.status, refusal.code, refusal.detail, field=refusal.field)
            return None

    def _asset(self, path: str) -> None:
        found = asset(path)
        if found is None:
            self._problem(404, "not_found", missing_detail(path))
            return
        self._send(200, found[0], {"Content-Type": found[1], "Cache-Control": "max-age=3600"})

    def _console(self, path: str) -> None:
        if path == console_assets.PREFIX:  # relative asset URLs need the trailing slash
            self._send(308, b"", {"Location": console_assets.PREFIX + "/"})
            return
        found = console_assets.console_file(path)
        if found is None:
            self._problem(404, "not_found", console_assets.missing_detail(path))
            return
        self._send(200, *found)

    def _unrouted(self, path: str) -> ApiRouteSpec | None:
        """The route for ``path``; else answers 404, or 405/OPTIONS from the API document."""
        route = self.router.route(path)
        allowed = allowed_methods(path)
        known = allowed is None or self.command in allowed
        if route is not None and known and self.command != "OPTIONS":
            return route
        if allowed is not None and self.command == "OPTIONS":
            self._send(204, b"", {"Allow": ", ".join(allowed)})
        elif allowed is not None:
            detail = f"{path} answers {', '.join(allowed)}, not {self.command}"
            self._problem(405, "method_not_allowed", detail, {"Allow": ", ".join(allowed)})
        else:
            prefixes = ", ".join(self.router.prefixes())
            detail = f"no route for {self.command} {path}; see /docs (prefixes: {prefixes})"
            self._problem(404, "not_found", detail)
        return None

    def _handle(self) -> None:
        body = self._body()
        if body is None:
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        path = urlsplit(self.path).path
        if path.startswith(PREFIX) and self.command in {"GET", "HEAD"}:
            self._asset(path)
            return
        if console_assets.is_console(path) and self.command in {"GET", "HEAD"}:
            self._console(path)
            return
        route = self._unrouted(path)
        if route is None:
            return
        try:
            # a shared-secret route (a webhook) has no JWT authorizer: its handler checks the secret
            jwt_free = route.public or route.shared_secret is not None
            claims = None if jwt_free else self.verifier.verify(headers.get("authorization"))
        except TokenError as exc:
            self._problem(401, "unauthorized", str(exc), {"WWW-Authenticate": 'Bearer realm="agentic"'})
            return
        method = "GET" if self.command == "HEAD" else self.command
        event = build_event(method, self.path, headers, body, claims=claims, source_ip=self.client_address[0])
        try:
            response = self.router.invoke(route, event)
        except Exception:  # as API Gateway does when the function fails: a 500, never a reset
            log.exception("the %s API handler failed on %s %s", route.service, self.command, path)
            detail = f"the {route.service} API failed to handle this request; see its log"
            self._problem(500, "internal_error", detail)
            return
        self._send(*http_response(response))

    def __getattr__(self, name: str) -> Any:
        """Every method (TRACE, CONNECT, made-up ones) is handled: 404 or 405 with Allow, never a 501."""
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        return


def make_request_handler(
    router: Router, verifier: LocalVerifier, read_timeout: float = READ_TIMEOUT_SECONDS
) -> type[BaseHTTPRequestHandler]:
    attributes = {"router": router, "verifier": verifier, "timeout": read_timeout}
    return type("RequestHandler", (_RequestHandler,), attributes)


class LocalApiGateway:
    def __init__(
        self,
        router: Router,
        verifier: LocalVerifier,
        port: int,
        host: str = "127.0.0.1",
        read_timeout: float = READ_TIMEOUT_SECONDS,
    ) -> None:
        self.router = router
        handler = make_request_handler(router, verifier, read_timeout)
        self._server = ThreadingHTTPServer((host, port), handler)
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
        self.router.close()
