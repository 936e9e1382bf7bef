"""The pure parts of the local deploy target: source validation, log tails, state files, child environment."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from agentic_deployment.adapters.git_checkout import display_url, validate_source
from agentic_deployment.adapters.local.logtail import tail
from agentic_deployment.adapters.local.python_env import find_uv
from agentic_deployment.adapters.local.service_process import service_env
from agentic_deployment.adapters.local.state_file import (
    DeploymentDir,
    DeploymentState,
    read_state,
    write_state,
)
from agentic_deployment.ports import DeployError

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_a_repository_url_with_another_scheme_is_refused_for_good() -> None:
    # Given / When a repository URL using git's ext transport is validated
    with pytest.raises(DeployError) as raised:
        validate_source("ext::sh -c touch% /tmp/pwned", SHA)

    # Then it is refused and retrying would not help
    assert raised.value.retryable is False


def test_a_commit_that_is_not_a_sha_is_refused_for_good() -> None:
    # Given / When a branch-like or option-like commit is validated
    with pytest.raises(DeployError) as raised:
        validate_source("file:///srv/git/orders.git", "--upload-pack=evil")

    # Then it is refused and retrying would not help
    assert raised.value.retryable is False


def test_credentials_in_a_repository_url_are_not_shown() -> None:
    # Given / When a URL with a token is prepared for a message
    shown = display_url("https://oauth2:glpat-abcdefghijklmnopqrstuvwxyz@gitlab.example.com/team/orders.git")

    # Then the token is gone and the repository is still named
    assert shown == "https://gitlab.example.com/team/orders.git"


def test_the_log_tail_keeps_the_last_lines_and_masks_secrets(tmp_path: Path) -> None:
    # Given a log whose last line leaks a token
    log = tmp_path / "service.log"
    log.write_text("".join(f"line {i}\n" for i in range(100)) + "token=s3cr3t-value\n")

    # When its tail is taken
    text = tail(log, lines=3)

    # Then only the last lines are there, and the secret is masked
    assert text.splitlines() == ["line 98", "line 99", "token ***"]


def test_the_log_tail_of_a_missing_log_says_so(tmp_path: Path) -> None:
    # Given / When the tail of a log that was never written is taken
    text = tail(tmp_path / "install.log")

    # Then it says the log could not be read
    assert "install.log could not be read" in text


def test_a_state_file_reads_back_what_was_written(tmp_path: Path) -> None:
    # Given a deployment's state
    layout = DeploymentDir(tmp_path / "dep-0123456789abcdef")
    layout.root.mkdir()
    started = datetime(2025, 1, 1, tzinfo=UTC)
    state = DeploymentState(
        deployment_id=layout.deployment_id, pid=123, port=8000, url="http://127.0.0.1:8000", commit=SHA,
        venv=str(layout.venv), started_at=started, worker_pid=99, worker_started="42",
    )  # fmt: skip

    # When it is written and read again
    write_state(layout.state_file, state)

    # Then the same state comes back, and it describes the running service
    assert read_state(layout.state_file) == state
    assert state.running().url == "http://127.0.0.1:8000"


def test_an_unreadable_state_file_counts_as_no_state(tmp_path: Path) -> None:
    # Given a state file that is not JSON
    path = tmp_path / "state.json"
    path.write_text("{half")

    # When / Then reading it gives no state
    assert read_state(path) is None


def test_the_service_gets_its_settings_but_not_the_worker_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a worker environment holding AWS credentials
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "worker-secret")
    monkeypatch.setenv("PATH", "/usr/bin")

    # When the service's environment is built
    env = service_env(DeploymentDir(tmp_path / "dep-1"), 8123, "0123456789ab", "dev")

    # Then it has its port, version and environment, its venv first on PATH, and no credentials
    assert (env["PORT"], env["SERVICE_VERSION"], env["ENVIRONMENT"]) == ("8123", "0123456789ab", "dev")
    assert env["PATH"].startswith(str(tmp_path / "dep-1" / "venv" / "bin"))
    assert "AWS_SECRET_ACCESS_KEY" not in env


def test_uv_is_found_in_the_project_environment() -> None:
    # Given / When uv is looked for
    uv = Path(find_uv())

    # Then it is an executable file named uv
    assert uv.name == "uv"
    assert uv.is_file()
