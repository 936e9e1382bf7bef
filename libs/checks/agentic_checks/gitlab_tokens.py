"""detect-secrets plugin for GitLab tokens (bc-detect-secrets 1.5 ships none).

detect-secrets loads this file by path (``{"name": "GitLabTokenDetector", "path": "file://..."}``),
so it must import nothing but detect-secrets. Prefixes: https://docs.gitlab.com/security/tokens/
"""

from __future__ import annotations

import re

from detect_secrets.plugins.base import RegexBasedDetector


class GitLabTokenDetector(RegexBasedDetector):
    """Scans for GitLab personal, project/group, deploy, runner, trigger, feed and OAuth tokens."""

    secret_type = "GitLab Token"  # noqa: S105 - the name of a kind of secret, not a secret

    denylist = (re.compile(r"\b(?:glpat|gldt|glrt|glptt|glft|glcbt|gloas|glimt|glsoat)-[0-9A-Za-z_.-]{20,}"),)
