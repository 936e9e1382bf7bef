"""Where the CLI finds the platform: AGENTIC_API_URL / AGENTIC_TOKEN, else the local stack's files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class CliError(RuntimeError):
    """A problem the user can fix; printed without a stack trace."""


def home() -> Path:
    return Path(os.environ.get("AGENTIC_HOME", ".agentic")).resolve()


def stack_info() -> dict[str, Any]:
    path = home() / "stack.json"
    if not path.exists():
        raise CliError(
            f"no local stack is running (no {path}); start it with `make up`, "
            "or set AGENTIC_API_URL and AGENTIC_TOKEN for a deployed platform"
        )
    info: dict[str, Any] = json.loads(path.read_text())
    return info


def api_url() -> str:
    if url := os.environ.get("AGENTIC_API_URL"):
        return url.rstrip("/")
    if (home() / "stack.json").exists():
        return str(stack_info()["api_url"])
    return f"http://127.0.0.1:{os.environ.get('AGENTIC_API_PORT', '8080')}"


def token() -> str:
    if value := os.environ.get("AGENTIC_TOKEN"):
        return value
    from agentic_local.auth import issue_token  # noqa: PLC0415 - local stack only

    return issue_token(home())
