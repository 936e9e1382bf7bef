"""A handler object of the gateway's own process (an override, as tests pass) is one Lambda execution
environment: requests go through it one at a time, because Powertools keeps the request being resolved
in state all resolvers of a process share, and concurrent requests used to meet in it (``KeyError:
'_route'`` 500s with 12 golden paths at once). Functions named by the topology run in a pool of
processes instead (test_gateway_execution_environments.py)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from agentic_common.topology import PLANNER_API, default_topology
from agentic_local.api_gateway import LocalApiGateway, Router
from agentic_local.auth import LocalVerifier, ensure_signing_key, issue_token

CLIENTS = 8


class Recorder:
    """A planner API stand-in that notes how many requests are inside it at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.inside = 0
        self.most = 0

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        with self._lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        time.sleep(0.02)  # a handler waiting on the local AWS: the moment another request could enter
        with self._lock:
            self.inside -= 1
        return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": "{}"}


def test_requests_at_once_enter_the_api_handlers_one_at_a_time(tmp_path: Path) -> None:
    # Given the gateway in front of a handler that counts who is inside it
    ensure_signing_key(tmp_path)
    recorder = Recorder()
    router = Router(default_topology().api_routes, overrides={PLANNER_API: recorder})
    server = LocalApiGateway(router, LocalVerifier(tmp_path), port=0).start()
    headers = {"Authorization": f"Bearer {issue_token(tmp_path)}"}
    try:
        # When eight clients call it at the same time
        def call(_: int) -> int:
            return httpx.get(f"{server.url}/workflows", headers=headers, timeout=30).status_code

        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = list(pool.map(call, range(4 * CLIENTS)))
    finally:
        server.stop()
    # Then every request was answered, and never two were inside the handler at once
    assert statuses == [200] * (4 * CLIENTS)
    assert recorder.most == 1
