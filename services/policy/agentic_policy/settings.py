"""Policy process settings (environment variables are the field names, upper-cased).

``POLICY_ENFORCEMENT`` (default ``dev=none,staging=high,prod=medium``) sets what blocks per
environment; ``POLICY_MAX_BODY_BYTES`` bounds a ``POST /policy/validate`` body. Merge request comments
use the Git host settings (``agentic_common.git.settings``: local bare repositories, or GitLab).
"""

from __future__ import annotations

from agentic_common.git.settings import GitSettings
from agentic_common.settings import CommonSettings
from pydantic import Field


class PolicySettings(CommonSettings, GitSettings):
    policy_enforcement: str = "dev=none,staging=high,prod=medium"
    policy_max_body_bytes: int = Field(default=5 * 1024 * 1024, gt=0, le=50 * 1024 * 1024)
