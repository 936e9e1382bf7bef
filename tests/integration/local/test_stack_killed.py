"""A stack killed with SIGKILL leaves nothing running, and the next start on its home has its state."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from agentic_deployment.adapters.local.processes import pid_alive
from agentic_local.auth import issue_token

from tests.integration.local.stack_fixtures import Supervised, eventually, local_settings

STACK = """
import json, sys
from pathlib import Path
from agentic_local.settings import LocalSettings
from agentic_local.stack import LocalStack

home, api, aws = sys.argv[1:4]
settings = LocalSettings(agentic_home=Path(home), agentic_env="sup", agentic_api_port=int(api),
                         agentic_aws_port=int(aws), agentic_aws_snapshot_seconds=60)
stack = LocalStack(settings, console=sys.stderr, services=("planner-api",)).start()
print(json.dumps({"moto": stack.moto.process.pid, "api": stack.children["planner-api"].pid}), flush=True)
stack.wait()
"""
BODY = {
    "template": "microservice-rest-api",
    "parameters": {"serviceName": "killed-api", "language": "python", "environment": "dev"},
}


def test_a_stack_killed_with_sigkill_leaves_no_child_and_its_state_comes_back(tmp_path: Path) -> None:
    # Given a stack in its own process (periodic state writes far apart), with a workflow created
    settings = local_settings(tmp_path / "home")
    command = [sys.executable, "-c", STACK, str(settings.agentic_home)]
    command += [str(settings.agentic_api_port), str(settings.agentic_aws_port)]
    stack = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert stack.stdout is not None
    children = json.loads(stack.stdout.readline())
    api = f"http://127.0.0.1:{settings.agentic_api_port}"
    headers = {"Authorization": f"Bearer {issue_token(settings.agentic_home)}"}
    created = httpx.post(f"{api}/workflows", json=BODY, headers=headers, timeout=30)
    assert created.status_code == 201, created.text
    # When the stack's own process is killed with SIGKILL
    os.kill(stack.pid, signal.SIGKILL)
    stack.wait()
    # Then its children stop too, and the next start on the home serves the workflow
    eventually(lambda: not any(pid_alive(pid) for pid in children.values()), "the children stopping")
    again = Supervised.start(settings, services=("planner-api",))
    try:
        with again.client() as client:
            read = client.get(f"/workflows/{created.json()['workflowId']}")
    finally:
        again.close()
    assert read.status_code == 200
    assert read.json()["status"] == created.json()["status"]
