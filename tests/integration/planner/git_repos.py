"""Repositories on the planner's local Git host (bare repositories under ``<home>/git/services``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from agentic_common.git.local import LocalGitHost

NAMESPACE = "services"


def published(home: Path, name: str, *, tag: str | None = None, branch: str | None = None) -> tuple[str, str]:
    """(repoUrl, commit) of a one-commit repository ``name``, with ``tag`` and ``branch`` on its commit."""
    host = LocalGitHost(home / "git", NAMESPACE)
    repo = host.publish(name, {"README.md": f"# {name}\n".encode()}, f"{name}: first commit")
    bare = host.repo_path(name)
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    if tag:
        subprocess.run(
            ["git", *identity, "--git-dir", str(bare), "tag", "-a", tag, "-m", tag, repo.commit], check=True
        )
    if branch:
        subprocess.run(["git", "--git-dir", str(bare), "branch", branch, repo.commit], check=True)
    return repo.repo_url, repo.commit
