"""Policy process settings (environment variables are the field names, upper-cased).

``POLICY_ENFORCEMENT`` (default empty) may make the environment table's enforcement levels stricter,
never weaker (``prod=low``); ``POLICY_MAX_BODY_BYTES`` bounds a ``POST /policy/validate`` body. Merge
request comments use the Git host settings (``agentic_common.git.settings``: local bare repositories,
or GitLab).
"""

from __future__ import annotations

from agentic_common.git.settings import GitSettings
from agentic_common.settings import CommonSettings
from pydantic import Field


class PolicySettings(CommonSettings, GitSettings):
    policy_enforcement: str = ""  # only stricter than agentic_common/environments/rules.json
    policy_max_body_bytes: int = Field(default=5 * 1024 * 1024, gt=0, le=50 * 1024 * 1024)
