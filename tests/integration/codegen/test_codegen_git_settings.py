"""Choosing the Git host from settings: local by default; GitLab with a token from settings or from a
Secrets Manager secret (moto over the wire), which then authenticates the requests we send."""

from __future__ import annotations

import io
import tarfile
import uuid
from pathlib import Path

import pytest
from agentic_codegen.bootstrap import git_host
from agentic_codegen.settings import CodegenSettings
from agentic_common.aws import AwsClients
from agentic_common.git.factory import build_git_host
from agentic_common.git.gitlab import GitLabHost
from agentic_common.git.local import LocalGitHost
from agentic_common.git.settings import GitSettings
from agentic_common.runtime import start_runtime
from agentic_common.settings import CommonSettings, SettingsError
from pytest_httpserver import HTTPServer

TOKEN = "glpat-from-secrets-manager-0123456789"


def _archive(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for path, content in files.items():
            info = tarfile.TarInfo(f"orders-main-abc/{path}")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return out.getvalue()


def test_without_gitlab_url_the_local_bare_repository_host_is_used(tmp_path: Path) -> None:
    host = build_git_host(GitSettings(), tmp_path)
    assert isinstance(host, LocalGitHost)
    assert host.repo_path("orders") == (tmp_path / "git" / "services" / "orders.git").resolve()


def test_the_token_is_read_from_secrets_manager_and_sent_to_gitlab(
    aws_clients: AwsClients, httpserver: HTTPServer, tmp_path: Path
) -> None:
    # Given the token stored in Secrets Manager and GITLAB_URL pointing at a local server
    secrets = aws_clients.client("secretsmanager")
    name = f"agentic/gitlab-token-{uuid.uuid4().hex[:8]}"
    secrets.create_secret(Name=name, SecretString=TOKEN)
    settings = GitSettings(
        gitlab_url=httpserver.url_for("").rstrip("/"),
        gitlab_token_secret=name,
        agentic_git_namespace="platform",
    )
    httpserver.expect_request(
        "/api/v4/projects/platform/orders/repository/archive.tar.gz", headers={"PRIVATE-TOKEN": TOKEN}
    ).respond_with_data(_archive({"README.md": b"# orders\n"}))

    # When the host is built and reads a tree
    host = build_git_host(settings, tmp_path, secrets)
    files = host.read_tree("orders", "main")

    # Then it is the GitLab host, and it authenticated with the secret's value
    assert isinstance(host, GitLabHost)
    assert files == {"README.md": b"# orders\n"}


def test_a_missing_secret_is_a_clear_settings_error_naming_it(
    aws_clients: AwsClients, tmp_path: Path
) -> None:
    settings = GitSettings(
        gitlab_url="https://gitlab.example.com", gitlab_token_secret="agentic/nothing-here"
    )
    with pytest.raises(SettingsError, match=r"GITLAB_TOKEN_SECRET 'agentic/nothing-here' could not be read"):
        build_git_host(settings, tmp_path, aws_clients.client("secretsmanager"))


def test_gitlab_url_without_any_token_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="neither GITLAB_TOKEN nor GITLAB_TOKEN_SECRET"):
        build_git_host(GitSettings(gitlab_url="https://gitlab.example.com"), tmp_path)


def test_codegen_bootstrap_switches_to_gitlab_when_configured_and_never_shows_the_token(
    aws_settings: CommonSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given codegen settings from the environment with GITLAB_URL and a token
    monkeypatch.setenv("GITLAB_URL", "https://gitlab.example.com")
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    settings = CodegenSettings(
        agentic_env="test", agentic_home=tmp_path, aws_endpoint_url=aws_settings.aws_endpoint_url
    )

    # When the bootstrap picks the Git host
    host = git_host(settings, start_runtime("codegen", settings))

    # Then it is GitLab, and the settings' text does not contain the token
    assert isinstance(host, GitLabHost)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings.model_dump())
