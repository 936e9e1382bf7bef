"""`agentic console`: a link to the web console carrying a fresh token in its fragment."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from agentic_cli.main import main
from agentic_local.auth import LocalVerifier, ensure_signing_key


@pytest.fixture
def stack_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("AGENTIC_API_URL", "AGENTIC_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AGENTIC_HOME", str(tmp_path))
    ensure_signing_key(tmp_path)
    (tmp_path / "stack.json").write_text(json.dumps({"api_url": "http://127.0.0.1:18080/"}))
    return tmp_path


def test_the_link_opens_the_console_with_a_token_the_stack_verifies_in_its_fragment(
    stack_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a running local stack / When the console link is asked for
    code = main(["console"])
    link = urlsplit(capsys.readouterr().out.strip())
    # Then it is the stack's /console/ with the token in the fragment (never in the query, so never logged)
    assert code == 0
    assert (link.scheme, link.netloc, link.path, link.query) == ("http", "127.0.0.1:18080", "/console/", "")
    assert link.fragment.startswith("token=")
    claims = LocalVerifier(stack_home).verify(f"Bearer {unquote(link.fragment.removeprefix('token='))}")
    assert claims["sub"] == "developer@agentic.local"


def test_an_approvers_link_carries_the_subject_and_group_asked_for(
    stack_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["console", "--subject", "reviewer@agentic.local", "--group", "deploy-approvers"])
    token = unquote(urlsplit(capsys.readouterr().out.strip()).fragment.removeprefix("token="))
    claims = LocalVerifier(stack_home).verify(f"Bearer {token}")
    assert code == 0
    assert (claims["sub"], claims["groups"]) == ("reviewer@agentic.local", ["deploy-approvers"])


def test_against_a_deployed_platform_the_link_carries_agentic_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AGENTIC_HOME", str(tmp_path))
    monkeypatch.setenv("AGENTIC_API_URL", "https://agentic.example.com")
    monkeypatch.setenv("AGENTIC_TOKEN", "ey.abc/def")
    assert main(["console"]) == 0
    assert capsys.readouterr().out.strip() == "https://agentic.example.com/console/#token=ey.abc%2Fdef"
