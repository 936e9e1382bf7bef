"""Merge request records of the local Git host: one JSON file per merge request, next to the bare
repository, written atomically under a per-project lock (``fcntl``), so concurrent workers agree."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentic_common.git.port import GitHostError


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class MergeRequestRecords:
    """``<project>.merge_requests/<iid>.json``: iid, branches, title, description, state, sha, notes."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def path(self, iid: int) -> Path:
        return self.directory / f"{iid}.json"

    def all(self) -> list[dict[str, Any]]:
        if not self.directory.is_dir():
            return []
        records = [json.loads(p.read_text()) for p in self.directory.glob("*.json")]
        return sorted(records, key=lambda record: record["iid"])

    def get(self, iid: int) -> dict[str, Any]:
        path = self.path(iid)
        if not path.is_file():
            raise GitHostError(f"merge request !{iid} does not exist", retryable=False)
        record: dict[str, Any] = json.loads(path.read_text())
        return record

    def open_for(self, source_branch: str) -> dict[str, Any] | None:
        return next(
            (r for r in self.all() if r["source_branch"] == source_branch and r["state"] == "opened"), None
        )

    def create(self, **fields: Any) -> dict[str, Any]:
        iid = max((r["iid"] for r in self.all()), default=0) + 1
        record = {"iid": iid, "state": "opened", "created_at": _now(), "notes": [], **fields}
        self.save(record)
        return record

    def save(self, record: dict[str, Any]) -> None:
        record["updated_at"] = _now()
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "w") as out:
            json.dump(record, out, indent=2, sort_keys=True)
        os.replace(tmp, self.path(record["iid"]))

    def add_note(self, iid: int, body: str) -> bool:
        """Append a note; False (and nothing written) when the same body is already there."""
        record = self.get(iid)
        if any(note["body"] == body for note in record["notes"]):
            return False
        record["notes"].append({"id": len(record["notes"]) + 1, "body": body, "created_at": _now()})
        self.save(record)
        return True
