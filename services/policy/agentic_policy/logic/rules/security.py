"""Security rules: no secrets in code (detect-secrets), no committed .env or private key files."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatch

from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules.base import Finding, Rule
from agentic_policy.logic.secrets import find_secrets

ENV_TEMPLATES = frozenset({".env.example", ".env.sample", ".env.template", ".env.dist"})
PRIVATE_KEY_PATTERNS = ("*.pem", "*.key", "*.p12", "*.pfx", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519")


def _secrets_in_code(repo: Repo) -> Iterator[Finding]:
    for finding in find_secrets(repo.files):
        kinds = " and ".join(finding.types)
        yield Finding(f"{kinds} detected (the value is withheld)", finding.file, finding.line or None)


def is_env_file(name: str) -> bool:
    lowered = name.lower()
    return lowered == ".env" or (lowered.startswith(".env.") and lowered not in ENV_TEMPLATES)


def is_private_key_file(name: str) -> bool:
    return any(fnmatch(name.lower(), pattern) for pattern in PRIVATE_KEY_PATTERNS)


def _sensitive_files(repo: Repo) -> Iterator[Finding]:
    for path in repo.paths(is_env_file):
        yield Finding(f"{path!r} is an environment file; it must not be committed", path)
    for path in repo.paths(is_private_key_file):
        yield Finding(
            f"{path!r} looks like a private key or certificate store; it must not be committed", path
        )


NO_SECRETS_IN_CODE = Rule(
    id="SEC-001",
    name="no-secrets-in-code",
    severity="critical",
    category="security",
    description="No credentials (cloud keys, GitLab/GitHub tokens, private keys, passwords) in any file.",
    remediation=(
        "remove the secret from the repository and its history, rotate it (treat it as leaked), "
        "and read it at runtime from AWS Secrets Manager or an environment variable"
    ),
    check=_secrets_in_code,
)

NO_SENSITIVE_FILES = Rule(
    id="SEC-002",
    name="no-env-or-key-files",
    severity="critical",
    category="security",
    description="No committed .env files or private keys (*.pem, *.key, id_rsa ...).",
    remediation=(
        "delete the file, add it to .gitignore, rotate what it held, and commit a '.env.example' "
        "with placeholder values instead"
    ),
    check=_sensitive_files,
)

RULES = (NO_SECRETS_IN_CODE, NO_SENSITIVE_FILES)
