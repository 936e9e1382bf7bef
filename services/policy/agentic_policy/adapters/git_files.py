"""The files a commit ships: ``git archive`` of the commit, read with the same safe archive reader as
codegen's artifacts. Untracked and gitignored files (``.pytest_cache/``, ``.ruff_cache/``, ``.venv/``,
local ``.env``) are not in the commit, so they are never judged.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from agentic_policy.logic.archive import ArchiveLimits, UnsafeArchiveError, read_repository

GIT_TIMEOUT_SECONDS = 120
PREFIX = "repository/"


class GitReadError(RuntimeError):
    """The directory is in a Git work tree but its commit cannot be read; the message says why."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False
    )


def in_work_tree(root: Path) -> bool:
    found = _git(root, "rev-parse", "--is-inside-work-tree")
    return found.returncode == 0 and found.stdout.strip() == b"true"


def tracked_files(root: Path, commit: str = "HEAD", limits: ArchiveLimits | None = None) -> dict[str, bytes]:
    """Every file of ``commit`` under ``root`` (paths relative to ``root``), as the commit holds them."""
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode().strip()
    archived = _git(root, "archive", "--format=tar", f"--prefix={PREFIX}", f"{commit}:{prefix}")
    if archived.returncode != 0:
        problem = archived.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitReadError(
            f"cannot read commit {commit!r} of {root}: {problem[-1] if problem else 'git archive failed'}"
            " (commit the files first, or name an existing commit)"
        )
    try:
        files = read_repository(archived.stdout, limits)
    except UnsafeArchiveError as exc:
        raise GitReadError(f"commit {commit!r} of {root} cannot be scanned safely: {exc}") from exc
    return {path.removeprefix(PREFIX): content for path, content in files.items()}
