"""Build the Git host the settings ask for; the GitLab token is read here and only handed to the client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from agentic_common.git.local import LocalGitHost
from agentic_common.git.port import GitHost
from agentic_common.git.settings import GitSettings
from agentic_common.settings import SettingsError


def gitlab_token(settings: GitSettings, secrets: Any | None) -> str:
    """``GITLAB_TOKEN``, else the SecretString of ``GITLAB_TOKEN_SECRET`` (a secretsmanager client)."""
    if settings.gitlab_token is not None:
        return settings.gitlab_token.get_secret_value()
    if not settings.gitlab_token_secret:
        raise SettingsError("GITLAB_URL is set but neither GITLAB_TOKEN nor GITLAB_TOKEN_SECRET is")
    if secrets is None:
        raise SettingsError("GITLAB_TOKEN_SECRET is set but no Secrets Manager client was given")
    try:
        value: object = secrets.get_secret_value(SecretId=settings.gitlab_token_secret).get("SecretString")
    except (ClientError, BotoCoreError) as exc:
        code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else type(exc).__name__
        raise SettingsError(
            f"GITLAB_TOKEN_SECRET {settings.gitlab_token_secret!r} could not be read ({code})"
        ) from None
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"GITLAB_TOKEN_SECRET {settings.gitlab_token_secret!r} holds no SecretString")
    return value.strip()


def build_git_host(settings: GitSettings, agentic_home: Path, secrets: Any | None = None) -> GitHost:
    if not settings.uses_gitlab:
        return LocalGitHost(
            agentic_home / "git", settings.agentic_git_namespace, branch=settings.agentic_git_default_branch
        )
    from agentic_common.git.gitlab import GitLabHost  # noqa: PLC0415 - python-gitlab only when used

    return GitLabHost(
        str(settings.gitlab_url),
        gitlab_token(settings, secrets),
        settings.agentic_git_namespace,
        token_kind=settings.gitlab_token_kind,
        branch=settings.agentic_git_default_branch,
        timeout_seconds=settings.gitlab_timeout_seconds,
        topics=settings.topics,
    )
