"""AuditLog adapters: a JSON-lines file (under AGENTIC_HOME) and an in-memory fake for tests."""

from __future__ import annotations

import threading
from pathlib import Path

from agentic_remediation.ports import AuditEntry

AUDIT_FILE = "remediation-audit.jsonl"


class FileAuditLog:
    """Appends one JSON object per line; a lock keeps concurrent lines whole within the process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def under(cls, home: Path) -> FileAuditLog:
        return cls(home / AUDIT_FILE)

    def append(self, entry: AuditEntry) -> None:
        line = entry.model_dump_json() + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line)

    def entries(self) -> list[AuditEntry]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [AuditEntry.model_validate_json(line) for line in lines if line.strip()]


class InMemoryAuditLog:
    def __init__(self) -> None:
        self._entries: list[AuditEntry] = []

    def append(self, entry: AuditEntry) -> None:
        self._entries.append(entry)

    def entries(self) -> list[AuditEntry]:
        return list(self._entries)
