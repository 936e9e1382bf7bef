"""The ``SecretScanner`` port over detect-secrets: the files are written to a temporary directory and
scanned there with every plugin and the default filters.

``.agentic/manifest.json`` is a list of sha256 digests, which the entropy plugins would flag line by
line; it is skipped only when it is exactly that shape (template, version, path → 64 hex digits),
otherwise it is scanned like any other file.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from pathlib import Path

from agentic_common.git.tree_io import write_files
from detect_secrets.core.secrets_collection import SecretsCollection
from detect_secrets.settings import default_settings

from agentic_codegen.ports import Files, SecretFinding

_SETTINGS_LOCK = threading.Lock()  # detect-secrets keeps its settings in process-global state
MANIFEST = ".agentic/manifest.json"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
SHORT_TEXT = re.compile(r"^[A-Za-z0-9._+-]{1,64}$")


def is_digest_manifest(content: bytes) -> bool:
    try:
        data = json.loads(content)
    except ValueError:
        return False
    if not isinstance(data, dict) or set(data) != {"template", "version", "files"}:
        return False
    labels = (data["template"], data["version"])
    if not all(isinstance(label, str) and SHORT_TEXT.match(label) for label in labels):
        return False
    files = data["files"]
    return isinstance(files, dict) and all(isinstance(v, str) and SHA256.match(v) for v in files.values())


class DetectSecretsScanner:
    def scan(self, files: Files) -> list[SecretFinding]:
        skipped = {MANIFEST} if MANIFEST in files and is_digest_manifest(files[MANIFEST]) else set()
        with tempfile.TemporaryDirectory(prefix="agentic-secret-scan-") as tmp:
            root = Path(tmp)
            write_files(root, files)
            collection = SecretsCollection(root=str(root))
            with _SETTINGS_LOCK, default_settings():
                for path in sorted(set(files) - skipped):
                    collection.scan_file(path)
        findings = {
            SecretFinding(path=path, line=secret.line_number, kind=secret.type) for path, secret in collection
        }
        return sorted(findings, key=lambda f: (f.path, f.line, f.kind))
