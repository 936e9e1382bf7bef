"""Writing a rendered file map to disk, refusing paths that would escape the target directory."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from agentic_codegen.ports import Files


class UnsafePathError(ValueError):
    """A file path is absolute, climbs out with ``..``, or targets ``.git``."""


def check_path(path: str) -> None:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or "\\" in path or ".." in parts or ".git" in parts:
        raise UnsafePathError(f"refusing to write {path!r}: paths must be relative and inside the repository")


def write_tree(root: Path, files: Files) -> None:
    for path in files:
        check_path(path)
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
