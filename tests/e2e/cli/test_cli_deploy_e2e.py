"""`agentic deploy start --wait` on the stack `make up` starts: each rollout step printed as recorded."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[3]


def test_deploy_start_wait_streams_the_rollout_steps_until_the_deployment_ends(stack: RunningStack) -> None:
    # Given a service the golden path generated and deployed to dev
    created = stack.create({"serviceName": "cli-deploy-api", "language": "python", "environment": "dev"})
    golden = stack.wait_for_end(created["workflowId"])
    assert golden["status"] == "completed", golden.get("reason")
    commit = next(t for t in golden["tasks"] if t["taskId"] == "codegen")["outputs"]["commit"]
    env = {k: v for k, v in os.environ.items() if k not in {"AGENTIC_API_URL", "AGENTIC_TOKEN"}}
    env["AGENTIC_HOME"] = str(stack.home)
    # When that commit is deployed again with the CLI, blue-green, waiting
    done = subprocess.run(
        [
            ".venv/bin/agentic",
            "deploy",
            "start",
            "cli-deploy-api",
            commit,
            "--strategy",
            "blue-green",
            "--wait",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    # Then it printed the steps one per line as they were recorded, and the workflow's end, and exited 0
    lines = done.stdout.splitlines()
    steps = [line.split()[1] for line in lines if line.startswith("  ")]
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(steps) >= 2
    assert len(set(lines)) == len(lines)
    assert lines[-1].endswith(": workflow completed")
