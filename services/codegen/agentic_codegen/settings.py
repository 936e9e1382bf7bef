"""Codegen process settings (environment variables are the field names, upper-cased).

Git: ``AGENTIC_GIT_NAMESPACE`` and, to use GitLab instead of the local bare repositories, ``GITLAB_URL``
plus ``GITLAB_TOKEN`` or ``GITLAB_TOKEN_SECRET`` (see ``agentic_common.git.settings``). Claude
customisation: ``ANTHROPIC_API_KEY`` (optional), ``ANTHROPIC_BASE_URL``, ``ANTHROPIC_MODEL``.
"""

from __future__ import annotations

from agentic_common.git.settings import GitSettings
from agentic_common.settings import AnthropicSettings, CommonSettings


class CodegenSettings(CommonSettings, GitSettings, AnthropicSettings):
    pass
