"""Turning python-gitlab and transport failures into ``GitHostError``: a clear message saying what we
were doing, whether a retry can help, and never the token (it is masked if a server echoes it)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import gitlab.exceptions
import requests

from agentic_common.git.port import GitHostError

PERMANENT = {
    400: "rejected the request",
    401: "rejected the token (401 Unauthorized); check the GitLab token",
    403: "refused the token (403 Forbidden); the token needs the api scope and Maintainer role",
    404: "has no such resource (404 Not Found)",
    422: "could not process the request (422)",
}
RETRYABLE = {
    409: "reported a conflict (409); someone changed it at the same time",
    429: "is rate limiting us (429)",
}
MAX_DETAIL = 300


def describe(status: int | None) -> tuple[str, bool]:
    """What a status code means for us, and whether retrying the same call may succeed."""
    if status in PERMANENT:
        return PERMANENT[status], False
    if status in RETRYABLE:
        return RETRYABLE[status], True
    if status is not None and status >= 500:
        return f"failed on its side ({status})", True
    return f"answered with status {status}", False


def _mask(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


@contextlib.contextmanager
def gitlab_call(action: str, token: str) -> Iterator[None]:
    """Run python-gitlab calls for ``action`` ("creating project services/orders"); translate failures."""
    try:
        yield
    except gitlab.exceptions.GitlabError as exc:
        meaning, retryable = describe(exc.response_code)
        detail = _mask(str(exc.error_message or "")[:MAX_DETAIL], token)
        raise GitHostError(f"GitLab {meaning} while {action}: {detail}", retryable=retryable) from None
    except requests.Timeout:
        raise GitHostError(f"GitLab did not answer in time while {action}", retryable=True) from None
    except requests.RequestException as exc:
        kind = type(exc).__name__
        raise GitHostError(f"GitLab could not be reached while {action} ({kind})", retryable=True) from None
