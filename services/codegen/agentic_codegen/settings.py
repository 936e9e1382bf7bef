"""Codegen process settings (environment variables are the field names, upper-cased)."""

from __future__ import annotations

from agentic_common.settings import CommonSettings
from pydantic import Field


class CodegenSettings(CommonSettings):
    agentic_git_namespace: str = Field(
        default="services",
        pattern=r"^[a-z0-9][a-z0-9._-]{0,62}$",
        description="Group (namespace) the generated repositories are created in.",
    )
