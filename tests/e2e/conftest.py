"""Start the whole stack as `make up` does (agentic up, its own processes) and stop it afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from agentic_local.auth import issue_token
from agentic_local.moto_server import free_port


@dataclass
class RunningStack:
    home: Path
    api_url: str
    client: httpx.Client
    process: subprocess.Popen[bytes]

    def create(self, parameters: dict[str, Any], **extra: Any) -> dict[str, Any]:
        body = {  # no requestedBy: the requester is the token's subject
            "template": "microservice-rest-api",
            "parameters": parameters,
        }
        response = self.client.post("/workflows", json=body | extra)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def wait_until(self, workflow_id: str, done: Any, timeout: float = 600) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            workflow = dict(self.client.get(f"/workflows/{workflow_id}").json())
            if done(workflow):
                return workflow
            if self.process.poll() is not None:
                pytest.fail(f"the stack exited with {self.process.returncode}; logs in {self.home}/logs")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"workflow still {workflow['status']} after {timeout}s: {json.dumps(workflow)[:3000]}"
                )
            time.sleep(0.5)

    def wait_for_end(self, workflow_id: str) -> dict[str, Any]:
        return self.wait_until(workflow_id, lambda w: w["status"] in {"completed", "failed", "cancelled"})


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    home = tmp_path_factory.mktemp("agentic-home")
    api_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AGENTIC_HOME=str(home),
        AGENTIC_API_PORT=str(api_port),
        AGENTIC_AWS_PORT=str(free_port()),
        AGENTIC_ENV="e2e",
        AGENTIC_SWEEP_SECONDS="1",
    )
    # remediation e2e: the monitor polls every second; the e2e token's subject may decide approvals
    # a service still down 20 s after its incident opened is reported (and acted on) again
    env.update(OBSERVABILITY_MONITOR_INTERVAL_SECONDS="1", OBSERVABILITY_UNHEALTHY_REPEAT_SECONDS="20")
    env.setdefault("AGENTIC_APPROVERS", "developer@agentic.local")
    log = (home / "up.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "agentic_cli.main", "up"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    api_url = f"http://127.0.0.1:{api_port}"
    deadline = time.monotonic() + 120
    while not (home / "stack.json").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the stack did not start: {(home / 'up.log').read_text()[-3000:]}")
        time.sleep(0.2)
    client = httpx.Client(
        base_url=api_url, timeout=30, headers={"Authorization": f"Bearer {issue_token(home)}"}
    )
    yield RunningStack(home, api_url, client, process)
    client.close()
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
