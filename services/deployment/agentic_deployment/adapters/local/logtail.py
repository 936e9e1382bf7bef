"""The last lines of a log file, masked, short enough to go into a task.failed message."""

from __future__ import annotations

from pathlib import Path

from agentic_common.redact import redact

READ_BYTES = 64 * 1024


def tail(path: Path, lines: int = 20, max_chars: int = 1200) -> str:
    try:
        with path.open("rb") as log:
            log.seek(max(log.seek(0, 2) - READ_BYTES, 0))
            text = log.read().decode(errors="replace")
    except OSError:
        return f"({path.name} could not be read)"
    last = "\n".join(text.rstrip().splitlines()[-lines:])[-max_chars:]
    return redact(last, limit=max_chars + 100) or f"({path.name} is empty)"
