"""The repository tarball is deterministic: same files, same bytes, same digest."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile

from agentic_codegen.logic.package import build_archive

FILES = {"b.txt": b"second\n", "a/one.py": b"print('one')\n", "README.md": b"# hi\n"}


def test_the_same_files_give_the_same_digest_whatever_their_order() -> None:
    # Given the same files inserted in two orders
    reordered = dict(reversed(list(FILES.items())))

    # When both are archived
    first = build_archive(FILES, prefix="svc")
    second = build_archive(reordered, prefix="svc")

    # Then the bytes and digests are identical
    assert first.data == second.data
    assert first.sha256 == second.sha256 == hashlib.sha256(first.data).hexdigest()


def test_changed_content_changes_the_digest() -> None:
    # When one byte of one file changes
    changed = build_archive({**FILES, "b.txt": b"Second\n"}, prefix="svc")

    # Then the digest changes
    assert changed.sha256 != build_archive(FILES, prefix="svc").sha256


def test_entries_are_sorted_normalised_and_under_the_prefix() -> None:
    # When files are archived
    archive = build_archive(FILES, prefix="svc")

    # Then the entries are sorted, owned by 0:0, mode 0644, mtime 0, with the original content
    with tarfile.open(fileobj=io.BytesIO(archive.data), mode="r:gz") as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == ["svc/README.md", "svc/a/one.py", "svc/b.txt"]
        assert {(m.uid, m.gid, m.mode, m.mtime, m.uname, m.gname) for m in members} == {
            (0, 0, 0o644, 0, "", "")
        }
        extracted = tar.extractfile("svc/a/one.py")
        assert extracted is not None
        assert extracted.read() == FILES["a/one.py"]


def test_the_gzip_header_carries_no_timestamp_or_name() -> None:
    # When files are archived
    data = build_archive(FILES, prefix="svc").data

    # Then the gzip header's mtime is zero and no file name is stored
    assert data[:2] == b"\x1f\x8b"
    assert data[4:8] == b"\x00\x00\x00\x00"
    assert not data[3] & 0x08  # FNAME flag
    assert gzip.decompress(data)
