"""Check out exactly one commit of a repository with real git (the local target's source step)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from agentic_common.redact import redact

from agentic_deployment.logic.polling import Deadline
from agentic_deployment.ports import DeployError

ALLOWED_SCHEMES = ("file", "https", "http")
COMMIT = re.compile(r"^[0-9a-f]{7,64}$")


def display_url(url: str) -> str:
    """The URL without any credentials in it, for messages."""
    parts = urlsplit(url)
    return (
        urlunsplit(parts._replace(netloc=parts.hostname or "")) if parts.password or parts.username else url
    )


def validate_source(repo_url: str, commit: str) -> None:
    if urlsplit(repo_url).scheme not in ALLOWED_SCHEMES:
        raise DeployError(
            f"cannot clone {display_url(repo_url)!r}: the local target accepts only "
            f"{', '.join(s + '://' for s in ALLOWED_SCHEMES)} repository URLs",
            retryable=False,
        )
    if not COMMIT.match(commit):
        raise DeployError(
            f"{commit!r} is not a commit sha (lower-case hex): codegen must report the commit it pushed",
            retryable=False,
        )


def _git(args: list[str], deadline: Deadline, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=deadline.remaining(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DeployError(f"git {args[0]} did not finish within the task's time: retry the task") from None


def checkout(repo_url: str, commit: str, dest: Path, deadline: Deadline) -> None:
    """Clone ``repo_url`` into ``dest`` (which must not exist) and check out ``commit`` (detached)."""
    validate_source(repo_url, commit)
    cloned = _git(["clone", "--quiet", "--no-checkout", "--", repo_url, str(dest)], deadline)
    if cloned.returncode:
        raise DeployError(
            f"git clone of {display_url(repo_url)} failed: {redact(cloned.stderr.strip(), 800)}. "
            "Check that the repository exists and is readable, then retry the task"
        )
    if _git(["cat-file", "-e", f"{commit}^{{commit}}"], deadline, cwd=dest).returncode:
        raise DeployError(
            f"commit {commit} is not in {display_url(repo_url)}: re-run codegen so that the "
            "commit it reports is pushed",
            retryable=False,
        )
    switched = _git(["-c", "advice.detachedHead=false", "checkout", "--quiet", commit], deadline, cwd=dest)
    if switched.returncode:
        raise DeployError(f"git checkout of {commit} failed: {redact(switched.stderr.strip(), 800)}")
    head = _git(["rev-parse", "HEAD"], deadline, cwd=dest).stdout.strip()
    if not head.startswith(commit):
        raise DeployError(f"checked out {head or 'nothing'} instead of {commit}: retry the task")
