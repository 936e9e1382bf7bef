"""Safe, in-memory reading of the repository tarball codegen produced.

Nothing is extracted to disk and nothing is trusted: a member that is absolute, climbs out of the
root (``..``), is a link or a device, appears twice, or exceeds the size limits makes the whole
archive unsafe (``UnsafeArchiveError``). The caller refuses to evaluate such an archive instead of
scanning the part it could read, since the skipped part could be exactly what hides a violation.
"""

from __future__ import annotations

import io
import re
import tarfile
from dataclasses import dataclass
from pathlib import PurePosixPath

MIB = 1024 * 1024
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class ArchiveLimits:
    max_archive_bytes: int = 50 * MIB
    max_files: int = 5000
    max_file_bytes: int = 5 * MIB
    max_total_bytes: int = 100 * MIB


class UnsafeArchiveError(ValueError):
    """The archive cannot be evaluated safely; the message names the member and the reason."""


def read_repository(data: bytes, limits: ArchiveLimits | None = None) -> dict[str, bytes]:
    """Regular files of a (possibly compressed) tar archive, keyed by path relative to the repo root."""
    limits = limits or ArchiveLimits()
    if len(data) > limits.max_archive_bytes:
        raise UnsafeArchiveError(
            f"the archive is {len(data)} bytes, over the {limits.max_archive_bytes} limit"
        )
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            files = _read_members(archive, limits)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise UnsafeArchiveError(f"the artifact is not a readable tar archive ({exc})") from exc
    return _without_common_root(files)


def _read_members(archive: tarfile.TarFile, limits: ArchiveLimits) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for member in archive:
        path = safe_member_path(member.name)
        if member.isdir() or path is None:
            continue
        _check_member(member, path, files, limits)
        total += member.size
        if total > limits.max_total_bytes:
            raise UnsafeArchiveError(f"the archive holds more than {limits.max_total_bytes} bytes of files")
        extracted = archive.extractfile(member)
        if extracted is None:
            raise UnsafeArchiveError(f"member {path!r} has no readable content")
        files[path] = extracted.read()
    return files


def _check_member(member: tarfile.TarInfo, path: str, seen: dict[str, bytes], limits: ArchiveLimits) -> None:
    if member.issym() or member.islnk():
        raise UnsafeArchiveError(f"member {path!r} is a link; generated repositories must not contain links")
    if not member.isreg():
        raise UnsafeArchiveError(f"member {path!r} is not a regular file or directory")
    if path in seen:
        raise UnsafeArchiveError(f"member {path!r} appears twice; the later copy would hide the first")
    if len(seen) >= limits.max_files:
        raise UnsafeArchiveError(f"the archive holds more than {limits.max_files} files")
    if member.size > limits.max_file_bytes:
        raise UnsafeArchiveError(
            f"member {path!r} is {member.size} bytes, over the {limits.max_file_bytes} per-file limit"
        )


def safe_member_path(name: str) -> str | None:
    """The normalized relative path of a member name; None for the root entry (``.``).

    Raises ``UnsafeArchiveError`` for absolute names, Windows drive or backslash names, and ``..``.
    """
    if name.startswith("/") or _WINDOWS_DRIVE.match(name):
        raise UnsafeArchiveError(f"member {name!r} has an absolute path")
    if "\\" in name:
        raise UnsafeArchiveError(f"member {name!r} contains a backslash (a Windows path separator)")
    parts = [part for part in PurePosixPath(name).parts if part != "."]
    if ".." in parts:
        raise UnsafeArchiveError(f"member {name!r} climbs out of the repository root ('..')")
    return "/".join(parts) or None


def _without_common_root(files: dict[str, bytes]) -> dict[str, bytes]:
    """Strip a single top-level directory that wraps every file (``service-name/...`` archives)."""
    tops = {path.split("/", 1)[0] for path in files}
    if len(tops) != 1 or any("/" not in path for path in files):
        return files
    return {path.split("/", 1)[1]: content for path, content in files.items()}
