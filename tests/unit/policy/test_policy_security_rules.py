"""SEC-002: no committed .env files or private keys."""

from __future__ import annotations

import pytest
from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules.security import NO_SENSITIVE_FILES


@pytest.mark.parametrize("path", [".env", "config/.env.production", "deploy/tls.pem", ".ssh/id_rsa", "k.key"])
def test_committed_env_and_private_key_files_fail_sec_002(path: str) -> None:
    # Given a repository holding the file / When SEC-002 runs
    found = NO_SENSITIVE_FILES.evaluate(Repo({path: b"x"}))

    # Then it is reported as a critical security violation for that file
    assert [(v.rule, v.severity, v.category, v.file) for v in found] == [
        ("SEC-002 no-env-or-key-files", "critical", "security", path)
    ]


@pytest.mark.parametrize("path", [".env.example", ".ssh/id_rsa.pub", "README.md", "environment.py"])
def test_env_templates_and_public_keys_pass_sec_002(path: str) -> None:
    assert NO_SENSITIVE_FILES.evaluate(Repo({path: b"x"})) == []
