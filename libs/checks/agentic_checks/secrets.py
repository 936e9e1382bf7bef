"""Secret detection with detect-secrets' file API (the bc-detect-secrets fork checkov installs).

Every built-in plugin runs, plus ``gitlab_tokens.GitLabTokenDetector`` (the fork ships no GitLab
plugin), with detect-secrets' default filters; files in ``EXCLUDED_FILES`` (digest manifests and
lock files: integrity hashes) are not scanned, and ``secret_filters.not_a_secret`` drops values that
cannot be secrets (booleans, Terraform references, names of Kubernetes Secrets). Findings carry
the secret TYPE, file and line only: values never leave this module.
Specific types win over generic ones (high entropy, keyword) on one line, and one line gives one
finding. detect-secrets settings are process-global: scans hold a lock.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import detect_secrets.core.scan as scan_module
from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.core.secrets_collection import SecretsCollection
from detect_secrets.settings import transient_settings

from agentic_checks.findings import Finding
from agentic_checks.secret_filters import not_a_secret
from agentic_checks.workspace import materialised

GENERIC_TYPES = frozenset({"Base64 High Entropy String", "Hex High Entropy String", "Secret Keyword"})
CUSTOM_PLUGINS = (
    {"name": "GitLabTokenDetector", "path": f"file://{Path(__file__).with_name('gitlab_tokens.py')}"},
)
EXCLUDED_FILES = (
    r"(^|/)\.agentic/manifest\.json$",  # sha256 of every generated file (hex digests, not secrets)
    # lock files: integrity hashes of dependencies
    r"(^|/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|go\.sum|uv\.lock|poetry\.lock)$",
)
REMEDIATION = "remove the secret, rotate it, and read it from the environment or a secrets manager"
_SETTINGS_LOCK = threading.Lock()


class SecretsBusyError(TimeoutError):
    """Another scan held detect-secrets' settings for longer than the caller's ``wait_seconds``."""


def scan_secrets(files: Mapping[str, bytes], wait_seconds: float | None = None) -> list[Finding]:
    """One critical finding per line holding a secret, sorted by file and line (no secret values).

    ``wait_seconds`` bounds the wait for the settings lock (``SecretsBusyError`` after it); None waits.
    """
    scanned = {path: content for path, content in files.items() if not _excluded(path)}
    if not _SETTINGS_LOCK.acquire(timeout=-1 if wait_seconds is None else max(wait_seconds, 0)):
        raise SecretsBusyError(f"detect-secrets was busy with another scan for {wait_seconds:.0f} s")
    try:
        found = _scan(scanned)
    finally:
        _SETTINGS_LOCK.release()
    return [
        Finding(
            check="secret:" + ", ".join(_most_specific(types)),
            tool="detect-secrets",
            severity="critical",
            message=f"possible secret ({', '.join(_most_specific(types))}) committed in the file",
            file=file,
            line=line,
            remediation=REMEDIATION,
        )
        for (file, line), types in sorted(found.items())
    ]


def _scan(scanned: Mapping[str, bytes]) -> dict[tuple[str, int], set[str]]:
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    with materialised(scanned, prefix="agentic-secrets-") as root, _all_plugins():
        collection = SecretsCollection(root=str(root))
        for path in sorted(scanned):
            collection.scan_file(path)
        for path, secrets in collection.data.items():
            lines = scanned[path].decode("utf-8", "replace").splitlines()
            for secret in secrets:
                line = lines[secret.line_number - 1] if 0 < secret.line_number <= len(lines) else ""
                if not not_a_secret(secret.secret_value or "", line, path):
                    found[(path, secret.line_number)].add(secret.type)
    return found


def _excluded(path: str) -> bool:
    return any(re.search(pattern, path) for pattern in EXCLUDED_FILES)


def _most_specific(types: set[str]) -> tuple[str, ...]:
    specific = types - GENERIC_TYPES
    return tuple(sorted(specific or types))


@contextmanager
def _all_plugins() -> Iterator[None]:
    """Every built-in plugin plus ours, with the default filters, for the duration of a scan."""
    builtin = [
        {"name": plugin.__name__}
        for plugin in get_mapping_from_secret_type_to_class().values()
        if plugin.__module__.startswith("detect_secrets.plugins.")
    ]
    with transient_settings({"plugins_used": [*builtin, *CUSTOM_PLUGINS]}):
        # detect-secrets caches its type → plugin mapping; it must be rebuilt to see the custom plugin.
        get_mapping_from_secret_type_to_class.cache_clear()
        # The fork's line pre-gate (DETECT_SECRETS_PERF_PREGATE, built from the loaded plugins' own
        # patterns) skips lines no plugin can match: about twice as fast, same findings.
        pregate, scan_module._PREGATE_ENABLED = scan_module._PREGATE_ENABLED, True
        try:
            yield
        finally:
            scan_module._PREGATE_ENABLED = pregate
            get_mapping_from_secret_type_to_class.cache_clear()
