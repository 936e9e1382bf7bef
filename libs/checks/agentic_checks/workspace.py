"""Write an in-memory file map to a private temporary directory for tools that only read paths."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


class UnsafePathError(ValueError):
    """A file path that is absolute or climbs out of the workspace."""


def safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise UnsafePathError(f"file path {path!r} must be relative and stay inside the repository")
    return relative


@contextmanager
def materialised(files: Mapping[str, bytes], prefix: str = "agentic-checks-") -> Iterator[Path]:
    """A temporary directory holding ``files`` (relative POSIX path → bytes); removed on exit."""
    with tempfile.TemporaryDirectory(prefix=prefix) as root:
        base = Path(root)
        for path, content in files.items():
            target = base.joinpath(*safe_relative(path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        yield base


def relative_to(root: Path, absolute: str | Path) -> str:
    """``absolute`` as a POSIX path relative to ``root`` (as the caller named it)."""
    return Path(absolute).resolve().relative_to(root.resolve()).as_posix()
