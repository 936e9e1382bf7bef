"""How the CLI finds the platform: flags and variables, else the running local stack; never a new key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentic_cli.main import main
from agentic_local.auth import LocalVerifier, ensure_signing_key
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


@pytest.fixture
def no_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("AGENTIC_API_URL", "AGENTIC_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "elsewhere"
    monkeypatch.setenv("AGENTIC_HOME", str(home))
    return home


def test_the_token_command_refuses_a_home_without_a_stack_and_creates_no_key(
    no_platform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an AGENTIC_HOME no stack was ever started in
    # When a token is asked for
    code = main(["token"])
    # Then it fails in one line naming the folder, and writes nothing there
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert str(no_platform) in err
    assert not no_platform.exists()


def test_an_api_command_without_a_stack_says_how_to_name_one(
    no_platform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given no stack and no API URL / When workflows are listed
    code = main(["workflow", "list"])
    # Then it says where it looked and the two ways to point it at a platform, and creates no key
    err = capsys.readouterr().err
    assert code == 2
    assert f"no running stack found at {no_platform / 'stack.json'}" in err
    assert "AGENTIC_API_URL (or --api-url) and AGENTIC_TOKEN" in err
    assert not (no_platform / "auth").exists()


def test_an_api_url_without_a_token_is_an_error_naming_the_variable(
    no_platform: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an API URL but no token and no local stack / When workflows are listed
    monkeypatch.setenv("AGENTIC_API_URL", "http://127.0.0.1:9")
    code = main(["workflow", "list"])
    # Then it asks for AGENTIC_TOKEN
    assert code == 2
    assert "AGENTIC_TOKEN is not set" in capsys.readouterr().err


def test_a_stack_in_another_home_is_found_through_its_stack_json(
    no_platform: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a stack started with this AGENTIC_HOME (its key and stack.json) serving the API
    ensure_signing_key(no_platform)
    (no_platform / "stack.json").write_text(json.dumps({"api_url": httpserver.url_for("/")}))
    seen: list[str] = []

    def answer(request: Request) -> Response:
        seen.append(request.headers["Authorization"])
        return Response(json.dumps({"workflows": [], "nextCursor": None}), content_type="application/json")

    httpserver.expect_request("/workflows").respond_with_handler(answer)
    # When workflows of one status are listed
    code = main(["workflow", "list", "--status", "failed"])
    # Then the request went to that stack with a token its own key verifies
    assert code == 0
    assert LocalVerifier(no_platform).verify(seen[0])["sub"] == "developer@agentic.local"
    assert "no failed workflows" in capsys.readouterr().out


def test_the_api_url_flag_wins_over_the_variable(
    no_platform: Path, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    # Given AGENTIC_API_URL pointing nowhere and --api-url at a working API
    monkeypatch.setenv("AGENTIC_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AGENTIC_TOKEN", "t0ken")
    httpserver.expect_request("/workflows/wf-1", headers={"Authorization": "Bearer t0ken"}).respond_with_json(
        {"workflowId": "wf-1", "status": "completed", "tasks": []}
    )
    # When a workflow is read with the flag
    code = main(["--api-url", httpserver.url_for("/"), "workflow", "get", "wf-1", "--output", "json"])
    # Then it was read from the flag's API
    assert code == 0
    httpserver.check_assertions()
