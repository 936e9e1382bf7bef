"""Local Git host: one bare repository per project on disk, driven with the real ``git`` executable.

``publish`` clones the bare repository into a temporary directory, replaces the whole tree with the
given files, commits as Agentic CodeGen and pushes to the branch. If the branch head already has
exactly that tree, nothing is committed and the existing head is returned, so a retried task finds
what the first try did. A concurrent push makes ours fail (non-fast-forward) instead of overwriting.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from agentic_codegen.adapters.files import UnsafePathError, check_path, write_tree
from agentic_codegen.ports import Files, GitHostError, PublishedRepo

AUTHOR_NAME = "Agentic CodeGen"
AUTHOR_EMAIL = "codegen@agentic.local"
PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def _git_env() -> dict[str, str]:
    """A minimal environment: no system or user config, no inherited GIT_DIR, never a prompt."""
    env = {key: os.environ[key] for key in _PASSED_ENV if key in os.environ}
    env |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0"}
    return env


class LocalGitHost:
    """The ``GitHost`` port over bare repositories at ``<root>/<namespace>/<project>.git``."""

    def __init__(
        self, root: Path, namespace: str, branch: str = "main", timeout_seconds: float = 120
    ) -> None:
        self._root = root
        self._namespace = namespace
        self._branch = branch
        self._timeout = timeout_seconds
        config = {
            "user.name": AUTHOR_NAME,
            "user.email": AUTHOR_EMAIL,
            "commit.gpgsign": "false",
            "init.defaultBranch": branch,
        }
        self._config = [arg for key, value in config.items() for arg in ("-c", f"{key}={value}")]

    def repo_path(self, project: str) -> Path:
        if not PROJECT_NAME.match(project):
            raise GitHostError(f"{project!r} is not a valid project name")
        return (self._root / self._namespace / f"{project}.git").resolve()

    def publish(self, project: str, files: Files, message: str) -> PublishedRepo:
        try:
            for path in files:
                check_path(path)
        except UnsafePathError as exc:
            raise GitHostError(str(exc)) from exc
        bare = self._ensure_bare(self.repo_path(project))
        with tempfile.TemporaryDirectory(prefix="agentic-codegen-") as tmp:
            work = Path(tmp) / project
            self._git(None, "clone", "--quiet", str(bare), str(work))
            head = self._checkout_branch(work)
            self._replace_tree(work, files)
            tree = self._git(work, "write-tree")
            if head and self._git(work, "rev-parse", f"{head}^{{tree}}") == tree:
                return PublishedRepo(repo_url=bare.as_uri(), commit=head, branch=self._branch)
            self._git(work, "commit", "--quiet", "--no-verify", "-m", message)
            self._git(work, "push", "--quiet", "origin", f"HEAD:refs/heads/{self._branch}")
            commit = self._git(work, "rev-parse", "HEAD")
        return PublishedRepo(repo_url=bare.as_uri(), commit=commit, branch=self._branch)

    def _ensure_bare(self, bare: Path) -> Path:
        if not (bare / "HEAD").is_file():
            bare.parent.mkdir(parents=True, exist_ok=True)
            self._git(None, "init", "--quiet", "--bare", f"--initial-branch={self._branch}", str(bare))
        return bare

    def _checkout_branch(self, work: Path) -> str | None:
        """Check out the branch; its head commit, or None when the repository is still empty."""
        remote = f"refs/remotes/origin/{self._branch}"
        head = self._git(work, "rev-parse", "--verify", "--quiet", remote, check=False)
        if head:
            self._git(work, "checkout", "--quiet", "-B", self._branch, remote)
            return head
        self._git(work, "symbolic-ref", "HEAD", f"refs/heads/{self._branch}")
        return None

    def _replace_tree(self, work: Path, files: Files) -> None:
        for entry in work.iterdir():
            if entry.name == ".git":
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        write_tree(work, files)
        self._git(work, "add", "--all", "--force", ".")

    def _git(self, cwd: Path | None, *args: str, check: bool = True) -> str:
        command = ["git", *self._config, *args]
        try:
            result = subprocess.run(
                command,
                cwd=cwd,
                env=_git_env(),
                capture_output=True,
                text=True,
                timeout=self._timeout,
                check=False,
            )
        except FileNotFoundError as exc:
            raise GitHostError("the git executable was not found on PATH") from exc
        except subprocess.TimeoutExpired as exc:
            raise GitHostError(f"git {args[0]} did not finish within {self._timeout:.0f}s") from exc
        if check and result.returncode != 0:
            raise GitHostError(
                f"git {args[0]} failed (exit {result.returncode}): {result.stderr.strip()[-500:]}"
            )
        return result.stdout.strip()
