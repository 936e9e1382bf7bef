"""Safe in-memory reading of the artifact tarball."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable

import pytest
from agentic_policy.logic.archive import ArchiveLimits, UnsafeArchiveError, read_repository


def tar_with(*members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for info, content in members:
            archive.addfile(info, io.BytesIO(content) if info.isreg() else None)
    return buffer.getvalue()


def regular(name: str, content: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    return info, content


def link(name: str, target: str, kind: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, b""


def test_regular_files_are_read_into_memory_by_relative_path(tarball: Callable[..., bytes]) -> None:
    # Given a gzipped tarball with a nested file / When read / Then paths and bytes come back
    files = read_repository(tarball({"README.md": b"# x", "app/main.py": b"print()"}))
    assert files == {"README.md": b"# x", "app/main.py": b"print()"}


def test_a_single_wrapping_directory_is_stripped(tarball: Callable[..., bytes]) -> None:
    # Given every file under 'payments-api/' / When read / Then paths are relative to the repo root
    files = read_repository(tarball({"README.md": b"#", "app/main.py": b""}, prefix="./payments-api/"))
    assert sorted(files) == ["README.md", "app/main.py"]


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        (regular("/etc/passwd"), "absolute"),
        (regular("app/../../evil.py"), "climbs out"),
        (regular("C:/Windows/evil.py"), "absolute"),
        (link("app/config.py", "/etc/shadow", tarfile.SYMTYPE), "link"),
        (link("app/hard.py", "README.md", tarfile.LNKTYPE), "link"),
    ],
)
def test_unsafe_members_make_the_archive_unsafe(member: tuple[tarfile.TarInfo, bytes], reason: str) -> None:
    # Given an archive with one unsafe member next to a normal file / When read / Then it is refused
    with pytest.raises(UnsafeArchiveError, match=reason):
        read_repository(tar_with(regular("README.md"), member))


def test_a_device_file_makes_the_archive_unsafe() -> None:
    info = tarfile.TarInfo("dev/null")
    info.type = tarfile.CHRTYPE
    with pytest.raises(UnsafeArchiveError, match="not a regular file"):
        read_repository(tar_with((info, b"")))


def test_a_member_that_appears_twice_makes_the_archive_unsafe() -> None:
    with pytest.raises(UnsafeArchiveError, match="appears twice"):
        read_repository(tar_with(regular("app.py", b"clean"), regular("./app.py", b"hidden")))


def test_an_oversize_file_makes_the_archive_unsafe() -> None:
    with pytest.raises(UnsafeArchiveError, match="per-file limit"):
        read_repository(tar_with(regular("big.bin", b"x" * 11)), ArchiveLimits(max_file_bytes=10))


def test_too_many_files_make_the_archive_unsafe() -> None:
    members = [regular(f"f{i}.txt") for i in range(4)]
    with pytest.raises(UnsafeArchiveError, match="more than 3 files"):
        read_repository(tar_with(*members), ArchiveLimits(max_files=3))


def test_too_many_bytes_in_total_make_the_archive_unsafe() -> None:
    members = [regular(f"f{i}.txt", b"x" * 6) for i in range(2)]
    with pytest.raises(UnsafeArchiveError, match="more than 10 bytes"):
        read_repository(tar_with(*members), ArchiveLimits(max_total_bytes=10))


def test_bytes_that_are_not_a_tar_archive_are_refused() -> None:
    with pytest.raises(UnsafeArchiveError, match="not a readable tar archive"):
        read_repository(b"this is not a tarball")
