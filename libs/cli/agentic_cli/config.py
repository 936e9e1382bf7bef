"""Where the CLI finds the platform, and the errors it prints in one line.

In order: ``--api-url`` (or ``AGENTIC_API_URL``) with ``AGENTIC_TOKEN`` for any platform; else the local
stack that ``make up`` started, named by ``AGENTIC_HOME/stack.json`` (default ``.agentic``): its API URL,
and a token signed with that stack's own key. The CLI never creates a signing key: a token signed with a
key the running stack does not know could only be refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

EXIT_CODES = {
    0: "success",
    1: "what you asked about failed: a workflow or deployment failed, policy blocks, nothing matched",
    2: "usage or input error: a bad argument or unknown name, no stack found, the API refused (4xx)",
    3: "the platform could not be reached or failed (connection error, 5xx)",
    130: "interrupted (Ctrl-C)",
}
_overrides: dict[str, str] = {}


class CliError(RuntimeError):
    """A problem the user can fix; printed as one line without a stack trace."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def use_api_url(url: str | None) -> None:
    """``--api-url`` from the command line: wins over AGENTIC_API_URL and the local stack."""
    if url:
        _overrides["api_url"] = url


def home() -> Path:
    return Path(os.environ.get("AGENTIC_HOME", ".agentic")).resolve()


def _no_stack(path: Path) -> CliError:
    return CliError(
        f"no running stack found at {path}; start one with `make up`, point AGENTIC_HOME at the folder "
        "`make up` used, or set AGENTIC_API_URL (or --api-url) and AGENTIC_TOKEN for a deployed platform"
    )


def stack_info() -> dict[str, Any]:
    path = home() / "stack.json"
    if not path.is_file():
        raise _no_stack(path)
    try:
        info: dict[str, Any] = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise CliError(f"{path} is not valid JSON ({exc.msg}); restart the stack with `make up`") from None
    return info


def api_url() -> str:
    url = _overrides.get("api_url") or os.environ.get("AGENTIC_API_URL")
    if url:
        return url.rstrip("/")
    return str(stack_info()["api_url"]).rstrip("/")


def local_token(subject: str | None = None, groups: list[str] | None = None) -> str:
    """A token signed with the local stack's key; an error (never a new key) when there is none."""
    from agentic_local.auth import LOCAL_DEVELOPER, issue_token  # noqa: PLC0415 - local stack only

    key = home() / "auth" / "signing-key.pem"
    if not key.is_file():
        raise CliError(
            f"no signing key at {key}: no stack was started with AGENTIC_HOME={home()}; start it with "
            "`make up`, point AGENTIC_HOME at its folder, or set AGENTIC_TOKEN"
        )
    return str(issue_token(home(), subject=subject or LOCAL_DEVELOPER, groups=groups or []))


def token() -> str:
    if value := os.environ.get("AGENTIC_TOKEN"):
        return value
    if not (home() / "stack.json").is_file():
        if _overrides.get("api_url") or os.environ.get("AGENTIC_API_URL"):
            raise CliError(f"AGENTIC_TOKEN is not set: the API at {api_url()} needs a bearer token")
        raise _no_stack(home() / "stack.json")
    return local_token()
