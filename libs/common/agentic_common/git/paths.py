"""Checks on what callers hand a Git host: relative paths inside the tree, sane names."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath

from agentic_common.git.port import Files, GitHostError

PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
BRANCH_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")


class UnsafePathError(GitHostError):
    """A file path is absolute, climbs out with ``..``, or targets ``.git``."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


def check_path(path: str) -> None:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or "\\" in path or ".." in parts or ".git" in parts:
        raise UnsafePathError(f"refusing to write {path!r}: paths must be relative and inside the repository")


def check_files(files: Files) -> None:
    for path in files:
        check_path(path)
    folders = {str(parent) for path in files for parent in PurePosixPath(path).parents}
    clashes = sorted(folders & set(files))
    if clashes:
        raise UnsafePathError(f"refusing {clashes[0]!r}: it is both a file and a folder of other files")


def check_project(project: str) -> None:
    if not PROJECT_NAME.match(project):
        raise GitHostError(f"{project!r} is not a valid project name", retryable=False)


def check_branch(branch: str) -> None:
    if not BRANCH_NAME.match(branch) or ".." in branch or branch.endswith((".lock", "/", ".")):
        raise GitHostError(f"{branch!r} is not a valid branch name", retryable=False)


def tree_digest(files: Files) -> str:
    """A digest of paths and contents, independent of order: names the branch of a proposed change."""
    digest = hashlib.sha256()
    for path in sorted(files):
        content = files[path]
        digest.update(f"{path}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def change_branch(files: Files) -> str:
    return f"agentic/update-{tree_digest(files)[:12]}"


def split_message(message: str) -> tuple[str, str]:
    """A commit message's subject line and its body (the merge request's title and description)."""
    subject, _, body = message.strip().partition("\n")
    return subject.strip() or "Update from Agentic CodeGen", body.strip()
