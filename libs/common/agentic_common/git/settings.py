"""Which Git host a process talks to: the local bare repositories (default) or GitLab."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class GitSettings(BaseSettings):
    """Environment variables are the field names, upper-cased. ``GITLAB_URL`` switches to GitLab; the
    token comes from ``GITLAB_TOKEN`` or, preferably, the Secrets Manager secret ``GITLAB_TOKEN_SECRET``."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    agentic_git_namespace: str = Field(
        default="services",
        pattern=r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*(/[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*)*$",
        max_length=200,
        description="Group (namespace) the generated repositories are created in.",
    )
    agentic_git_default_branch: str = Field(
        default="main", pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*([./][A-Za-z0-9_-]+)*$", max_length=100
    )
    gitlab_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$")
    gitlab_token: SecretStr | None = None
    gitlab_token_secret: str | None = Field(default=None, pattern=r"^[A-Za-z0-9/_+=.@:-]{1,512}$")
    gitlab_token_kind: Literal["private", "oauth"] = "private"  # noqa: S105 - a kind, not a token
    gitlab_timeout_seconds: float = Field(default=30, gt=0, le=300)
    gitlab_topics: str = Field(default="agentic,generated", description="Comma-separated project topics.")

    @property
    def uses_gitlab(self) -> bool:
        return self.gitlab_url is not None

    @property
    def topics(self) -> list[str]:
        return [topic.strip() for topic in self.gitlab_topics.split(",") if topic.strip()]
