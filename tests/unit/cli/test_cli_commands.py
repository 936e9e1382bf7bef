"""The CLI's commands against a local HTTP server: what they ask the API, what they print, how they exit."""

from __future__ import annotations

import json

import pytest
from agentic_cli.main import main
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


@pytest.fixture
def api(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    monkeypatch.setenv("AGENTIC_API_URL", httpserver.url_for("/"))
    monkeypatch.setenv("AGENTIC_TOKEN", "t0ken")
    return httpserver


def _summary(workflow_id: str, status: str, created: str) -> dict[str, object]:
    return {"workflowId": workflow_id, "status": status, "serviceName": "orders", "createdAt": created}


def _by_status(request: Request) -> Response:
    pages = {
        "completed": [_summary("wf-old", "completed", "2026-01-01T10:00:00Z")],
        "failed": [_summary("wf-new", "failed", "2026-01-03T10:00:00Z")],
        "in_progress": [_summary("wf-mid", "in_progress", "2026-01-02T10:00:00Z")],
    }
    body = {"workflows": pages.get(request.args["status"], []), "nextCursor": None}
    return Response(json.dumps(body), content_type="application/json")


def test_workflow_list_shows_recent_workflows_of_every_status_newest_first(
    api: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given workflows in three statuses / When they are listed without --status
    api.expect_request("/workflows").respond_with_handler(_by_status)
    assert main(["workflow", "list"]) == 0
    # Then all three are listed, newest first
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert ids == ["wf-new", "wf-mid", "wf-old"]


def test_workflow_list_output_json_is_one_json_document(
    api: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given workflows in three statuses / When they are listed as JSON
    api.expect_request("/workflows").respond_with_handler(_by_status)
    assert main(["workflow", "list", "--output", "json", "--limit", "2"]) == 0
    # Then stdout parses as JSON holding the two newest
    listed = json.loads(capsys.readouterr().out)
    assert [w["workflowId"] for w in listed["workflows"]] == ["wf-new", "wf-mid"]


def _workflow(status: str) -> dict[str, object]:
    task = {
        "taskId": "codegen",
        "agent": "codegen",
        "status": "succeeded" if status != "in_progress" else "running",
        "dependsOn": [],
        "attempt": 1,
        "maxAttempts": 3,
        "startedAt": "2026-01-01T10:00:00Z",
        "finishedAt": None if status == "in_progress" else "2026-01-01T10:00:30Z",
        "estimatedDuration": "60s",
    }
    return {
        "workflowId": "wf-1",
        "status": status,
        "template": "microservice-rest-api",
        "serviceName": "orders",
        "createdAt": "2026-01-01T10:00:00Z",
        "completedAt": None if status == "in_progress" else "2026-01-01T10:01:30Z",
        "tasks": [task],
    }


def test_workflow_watch_follows_until_the_end_with_elapsed_time_against_the_estimate(
    api: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a workflow that is running on the first read and failed on the second
    answers = iter([_workflow("in_progress"), _workflow("failed")])
    api.expect_request("/workflows/wf-1").respond_with_handler(
        lambda _r: Response(json.dumps(next(answers)), content_type="application/json")
    )
    # When it is watched
    code = main(["workflow", "watch", "wf-1"])
    # Then both states were printed, the last with its elapsed time against the estimate, and it exits 1
    out = capsys.readouterr().out
    assert code == 1
    assert "wf-1  in_progress" in out
    assert "wf-1  failed" in out
    assert "elapsed 1m30s of ~1m00s estimated" in out


def test_an_api_refusal_is_one_line_naming_each_field(
    api: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an API that refuses the parameters
    api.expect_request("/workflows", method="POST").respond_with_json(
        {
            "error": "invalid_parameters",
            "message": "the parameters do not match the template",
            "errors": [
                {"field": "serviceName", "problem": "is required"},
                {"field": "language", "problem": "bad"},
            ],
        },
        status=422,
    )
    # When a workflow is created
    code = main(["workflow", "create", "--template", "microservice-rest-api"])
    # Then the error is a single line with both fields, and the exit code says "input error"
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "error: 422 invalid_parameters: the parameters do not match the template "
        "(serviceName: is required; language: bad)\n"
    )


def test_an_unreachable_api_exits_3_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an API URL nobody listens on / When a workflow is read
    monkeypatch.setenv("AGENTIC_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AGENTIC_TOKEN", "t0ken")
    code = main(["workflow", "get", "wf-1"])
    # Then it exits 3 with one line
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith("error: cannot reach the API at http://127.0.0.1:9")
    assert err.count("\n") == 1


def _deployment(steps: int) -> dict[str, object]:
    history = [
        {"at": "2026-01-01T10:00:00Z", "status": "started", "detail": "rolling"},
        {"at": "2026-01-01T10:00:05Z", "status": "progressing", "detail": "50% of traffic"},
        {"at": "2026-01-01T10:00:09Z", "status": "succeeded", "detail": "100% of traffic"},
    ][:steps]
    return {"deploymentId": "dep-1", "history": history}


def test_deploy_start_wait_prints_each_rollout_step_once_as_it_is_recorded(
    api: HTTPServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a deployment that is not recorded yet, then has one step, then all three when its workflow ends
    monkeypatch.setattr("agentic_cli.deploy.time.sleep", lambda _s: None)
    api.expect_request("/deploy", method="POST").respond_with_json(
        {"deploymentId": "dep-1", "workflowId": "wf-9", "status": "accepted"}, status=202
    )
    statuses = iter(["in_progress", "in_progress", "completed"])
    api.expect_request("/workflows/wf-9").respond_with_handler(
        lambda _r: Response(json.dumps({"status": next(statuses)}), content_type="application/json")
    )
    records = iter([None, _deployment(1), _deployment(3)])

    def deployment(_r: Request) -> Response:
        record = next(records)
        if record is None:
            return Response(json.dumps({"error": "not_found", "message": "no deployment"}), status=404)
        return Response(json.dumps(record), content_type="application/json")

    api.expect_request("/deployments/dep-1").respond_with_handler(deployment)
    # When it is started with --wait
    code = main(["deploy", "start", "orders", "abc123", "--wait"])
    # Then every step is printed once, in order, and the command exits 0
    lines = capsys.readouterr().out.splitlines()
    steps = [line.split()[1] for line in lines if line.startswith("  ")]
    assert code == 0
    assert steps == ["started", "progressing", "succeeded"]
    assert lines[-1] == "dep-1: workflow completed"


def test_workflow_watch_output_json_prints_only_the_final_state(
    api: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a workflow that is running, then completed
    answers = iter([_workflow("in_progress"), _workflow("completed")])
    api.expect_request("/workflows/wf-1").respond_with_handler(
        lambda _r: Response(json.dumps(next(answers)), content_type="application/json")
    )
    # When it is watched with --output json
    code = main(["workflow", "watch", "wf-1", "--output", "json"])
    # Then stdout is one JSON document: the completed workflow
    assert code == 0
    assert json.loads(capsys.readouterr().out)["status"] == "completed"
