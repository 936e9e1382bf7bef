"""A generated Go service, built and started, keeps what it is given in the store it declares.

For each database x pattern: ``go build -o bin/server ./cmd/server`` (the local deploy target's install
command), then the binary runs with exactly the store settings a deploy gives it and must answer
/health, /ready (naming its store) and /metrics; a record written through its REST API, or sent to its
SQS queue (moto), must reach the store: a DynamoDB table in moto, or a throwaway PostgreSQL 15 or Redis
server (``tests/local_servers.py``; read back with psql or redis-cli). SIGTERM stops it with exit 0.
The store helpers are the Node gate's (``test_codegen_gate_node``): both languages promise the same
layout (table per collection, hash per collection, ``<plural>#<id>`` items).
"""

from __future__ import annotations

import json
import signal
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from agentic_codegen.gate.go_checks import run_go
from agentic_local.moto_server import free_port

from tests.integration.codegen.test_codegen_gate_go import DATABASES, PATTERNS, _render
from tests.integration.codegen.test_codegen_gate_node import (
    _base_env,
    _store_env,
    _write_and_read_back,
    postgres_url,  # noqa: F401 - fixture used through request.getfixturevalue
    redis_url,  # noqa: F401 - fixture used through request.getfixturevalue
)
from tests.local_servers import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
"""A first run on a machine compiles the standard library and the modules into the Go cache (minutes)."""


class RunningBinary:
    """``bin/server`` on a free loopback port, with exactly the environment given."""

    def __init__(self, repo: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(repo / "bin" / "server")],
            cwd=repo,
            env={**env, "PORT": str(self.port)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _health(self) -> bool | None:
        assert self.process.poll() is None, self.process.communicate()
        try:
            return httpx.get(f"{self.url}/health", timeout=1).status_code == 200 or None
        except httpx.TransportError:
            return None

    def wait_healthy(self) -> None:
        wait_until(self._health, seconds=30)

    def terminate(self) -> tuple[int, list[dict[str, Any]]]:
        self.process.send_signal(signal.SIGTERM)
        stdout, _ = self.process.communicate(timeout=20)
        return self.process.returncode, [json.loads(line) for line in stdout.splitlines() if line.strip()]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("database", DATABASES)
def test_a_built_go_service_serves_its_probes_and_keeps_records_in_its_store(
    request: pytest.FixtureRequest, tmp_path: Path, database: str, pattern: str
) -> None:
    # Given a Go service rendered for this database and pattern, built as the local deploy target builds it
    _files, repo = _render(tmp_path, database=database, pattern=pattern)
    built = run_go(["build", "-o", "bin/server", "./cmd/server"], repo)
    assert built.returncode == 0, built.stderr[-3000:]

    # When it runs with its store's settings
    env = _base_env(**_store_env(request, database, pattern, f"codegen-go-{uuid.uuid4().hex[:8]}"))
    service = RunningBinary(repo, env)
    try:
        service.wait_healthy()
        # Then it is ready on the store it declares, and serves metrics
        ready = httpx.get(f"{service.url}/ready", timeout=10)
        assert ready.json() == {"status": "ready", "database": "memory" if database == "none" else database}
        assert "http_requests_total" in httpx.get(f"{service.url}/metrics", timeout=5).text
        # And what it is given through its API or queue reaches the store
        _write_and_read_back(request, service, env, {"name": "item", "plural": "items", "fields": _ITEM})
        # And SIGTERM stops it with exit code 0, its last JSON log line saying so
        code, logs = service.terminate()
        assert code == 0, logs
        assert logs[-1]["message"] == "stopped"
    finally:
        service.kill()


_ITEM = [{"name": "name", "type": "string", "required": True}, {"name": "description", "type": "string"}]
"""The default resource's fields (``DEFAULT_RESOURCES`` of the parameters)."""
