"""`agentic up` supervises its children: a killed one comes back, one that keeps dying stops the stack.

Real processes: the local AWS (moto launcher) and the planner API, started as `agentic up` starts them;
the test kills them with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from agentic_local.stack import ServiceExitedError

from tests.integration.local.stack_fixtures import PATIENCE, Supervised, eventually, healthy, local_settings

BODY = {
    "template": "microservice-rest-api",
    "parameters": {"serviceName": "orders-api", "language": "python", "environment": "dev"},
}


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Supervised]:
    supervised = Supervised.start(local_settings(tmp_path / "home"), services=("planner-api",))
    yield supervised
    supervised.close()


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def test_a_killed_service_is_restarted_and_the_api_serves_again(running: Supervised) -> None:
    # Given the stack serving its API
    before = running.stack.children["planner-api"].pid
    assert healthy(running.stack.api_url)
    # When the API process is killed with SIGKILL
    _kill(before)
    # Then a new process takes its place, the API answers again, and the stack said why it restarted it
    eventually(lambda: running.stack.children["planner-api"].pid != before, "a new planner-api process")
    eventually(lambda: healthy(running.stack.api_url), "the API answering /health again")
    assert "planner-api exited (killed by SIGKILL); restart 1 of at most 5" in running.console.text()
    assert not running.failure


def test_a_killed_local_aws_comes_back_with_the_workflows_it_held(running: Supervised) -> None:
    # Given a workflow created through the API, and time for the local AWS to write its state
    with running.client() as client:
        created = client.post("/workflows", json=BODY)
        assert created.status_code == 201, created.text
        workflow_id = created.json()["workflowId"]
        before = client.get(f"/workflows/{workflow_id}").json()
        created_at = time.time()
        eventually(lambda: _state_written_after(running, created_at), "a state written after the workflow")
        # When the local AWS is killed with SIGKILL
        assert running.stack.moto is not None
        assert running.stack.moto.process is not None
        _kill(running.stack.moto.process.pid)
        # Then the stack restarts it, and the API serves the same workflow with its tasks
        eventually(lambda: "moto restarted" in running.console.text(), "the local AWS restarted")
        after = eventually(lambda: _get(client, workflow_id), "the workflow served again")
    assert after["status"] == before["status"]
    assert [t["taskId"] for t in after["tasks"]] == [t["taskId"] for t in before["tasks"]]
    assert "moto exited (killed by SIGKILL)" in running.console.text()


def test_a_child_that_keeps_dying_stops_the_stack_with_a_clear_message(tmp_path: Path) -> None:
    # Given a stack whose children may be restarted once
    supervised = Supervised.start(local_settings(tmp_path / "home", agentic_max_restarts=1), services=())
    try:
        moto = supervised.stack.moto
        assert moto is not None
        assert moto.process is not None
        # When the local AWS is killed, comes back, and is killed again
        _kill(moto.process.pid)
        eventually(lambda: "moto restarted" in supervised.console.text(), "the first restart")
        assert moto.process is not None
        _kill(moto.process.pid)
        assert supervised.thread is not None
        supervised.thread.join(timeout=PATIENCE)
    finally:
        supervised.close()
    # Then supervision ends with one message naming the child, how it died, the bound and its log
    assert len(supervised.failure) == 1
    assert isinstance(supervised.failure[0], ServiceExitedError)
    message = str(supervised.failure[0])
    assert "moto exited (killed by SIGKILL) after 1 restarts within 300 s; stopping the stack" in message
    assert "moto.log" in message


def _state_written_after(running: Supervised, moment: float) -> bool:
    state = running.stack.home / "aws-state.pickle"
    return state.exists() and state.stat().st_mtime > moment


def _get(client: httpx.Client, workflow_id: str) -> dict[str, object] | None:
    try:
        response = client.get(f"/workflows/{workflow_id}")
    except httpx.HTTPError:
        return None
    return dict(response.json()) if response.status_code == 200 else None
