"""The repository under evaluation: an in-memory map of relative POSIX paths to file bytes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Repo:
    """A read-only view of a repository's regular files (paths relative to the repository root)."""

    files: Mapping[str, bytes]

    def text(self, path: str) -> str:
        """The file decoded as UTF-8 (undecodable bytes replaced: rules read text, never execute it)."""
        return self.files[path].decode("utf-8", errors="replace")

    def has(self, path: str) -> bool:
        return path in self.files

    def paths(self, name_matches: Callable[[str], bool]) -> list[str]:
        """Paths, in sorted order, whose file name (last component) satisfies ``name_matches``."""
        return sorted(path for path in self.files if name_matches(PurePosixPath(path).name))

    def root_file(self, name: str) -> str | None:
        """The path of a file at the repository root, matching ``name`` case-insensitively."""
        wanted = name.lower()
        return next((path for path in sorted(self.files) if path.lower() == wanted), None)
