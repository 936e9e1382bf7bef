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

import uuid
from pathlib import Path

import httpx
import pytest
from agentic_gate.go_checks import run_go

from tests.integration.codegen.running_service import RunningService
from tests.integration.codegen.test_codegen_gate_go import DATABASES, PATTERNS, _render
from tests.integration.codegen.test_codegen_gate_node import (
    _base_env,
    _store_env,
    _write_and_read_back,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
"""A first run on a machine compiles the standard library and the modules into the Go cache (minutes)."""


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
    service = RunningService([str(repo / "bin" / "server")], repo, env)
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
