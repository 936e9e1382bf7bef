"""The ``SecretScanner`` port over detect-secrets: the files are written to a temporary directory and
scanned there with every plugin and the default filters."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from detect_secrets.core.secrets_collection import SecretsCollection
from detect_secrets.settings import default_settings

from agentic_codegen.adapters.files import write_tree
from agentic_codegen.ports import Files, SecretFinding

_SETTINGS_LOCK = threading.Lock()  # detect-secrets keeps its settings in process-global state


class DetectSecretsScanner:
    def scan(self, files: Files) -> list[SecretFinding]:
        with tempfile.TemporaryDirectory(prefix="agentic-secret-scan-") as tmp:
            root = Path(tmp)
            write_tree(root, files)
            collection = SecretsCollection(root=str(root))
            with _SETTINGS_LOCK, default_settings():
                for path in sorted(files):
                    collection.scan_file(path)
        findings = {
            SecretFinding(path=path, line=secret.line_number, kind=secret.type) for path, secret in collection
        }
        return sorted(findings, key=lambda f: (f.path, f.line, f.kind))
