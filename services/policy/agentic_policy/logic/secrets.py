"""Secret detection with detect-secrets' library API over the repository written to a temporary directory.

Findings carry the secret TYPE, file and line only: the values detect-secrets keeps in memory are
never copied out of this module. Several plugins often match the same line (an AWS key is also a
high-entropy string); specific types win over the generic ones, and one line gives one finding.
"""

from __future__ import annotations

import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.core.secrets_collection import SecretsCollection
from detect_secrets.settings import transient_settings

GENERIC_TYPES = frozenset({"Base64 High Entropy String", "Hex High Entropy String", "Secret Keyword"})
CUSTOM_PLUGINS = (
    {"name": "GitLabTokenDetector", "path": f"file://{Path(__file__).with_name('gitlab_detector.py')}"},
)
_SETTINGS_LOCK = threading.Lock()  # detect-secrets settings are process-global


@dataclass(frozen=True)
class SecretFinding:
    file: str
    line: int
    types: tuple[str, ...]


def find_secrets(files: Mapping[str, bytes]) -> list[SecretFinding]:
    """Secrets in ``files`` (relative path → bytes), sorted by file and line."""
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    with tempfile.TemporaryDirectory(prefix="agentic-policy-") as root:
        for path, content in files.items():
            target = Path(root, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        with _SETTINGS_LOCK, _all_plugins():
            collection = SecretsCollection(root=root)
            for path in sorted(files):
                collection.scan_file(path)
            for path, secrets in collection.data.items():
                for secret in secrets:
                    found[(path, secret.line_number)].add(secret.type)
    return [SecretFinding(file, line, _most_specific(types)) for (file, line), types in sorted(found.items())]


def _most_specific(types: set[str]) -> tuple[str, ...]:
    specific = types - GENERIC_TYPES
    return tuple(sorted(specific or types))


@contextmanager
def _all_plugins() -> Iterator[None]:
    """Every built-in plugin plus ours, with detect-secrets' default filters, for the duration of a scan."""
    builtin = [
        {"name": plugin.__name__}
        for plugin in get_mapping_from_secret_type_to_class().values()
        if plugin.__module__.startswith("detect_secrets.plugins.")
    ]
    with transient_settings({"plugins_used": [*builtin, *CUSTOM_PLUGINS]}):
        # detect-secrets caches its type → plugin mapping; it must be rebuilt to see the custom plugin.
        get_mapping_from_secret_type_to_class.cache_clear()
        try:
            yield
        finally:
            get_mapping_from_secret_type_to_class.cache_clear()
