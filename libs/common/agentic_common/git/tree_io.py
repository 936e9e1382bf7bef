"""Moving a file map between memory and a Git object database (no work tree involved)."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from agentic_common.git.local_runner import GitRunner
from agentic_common.git.paths import check_files
from agentic_common.git.port import Files


def read_tree_at(git: GitRunner, bare: Path, commit: str) -> dict[str, bytes]:
    """Every blob of ``commit``'s tree, read in one ``cat-file --batch`` call."""
    listing = git.run("ls-tree", "-r", "-z", "--full-tree", commit, git_dir=bare)
    entries: list[tuple[str, str]] = []
    for line in filter(None, listing.split(b"\0")):
        meta, _, path = line.partition(b"\t")
        _mode, kind, sha = meta.decode().split()
        if kind == "blob":
            entries.append((path.decode("utf-8"), sha))
    if not entries:
        return {}
    batch = git.run(
        "cat-file", "--batch", git_dir=bare, stdin="".join(f"{sha}\n" for _, sha in entries).encode()
    )
    files: dict[str, bytes] = {}
    offset = 0
    for name, _sha in entries:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        start = header_end + 1
        files[name] = batch[start : start + size]
        offset = start + size + 1
    return files


def blob_id(content: bytes) -> str:
    """The Git (SHA-1) blob id of ``content``."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def write_tree_objects(git: GitRunner, bare: Path, files: Files) -> str:
    """Store ``files`` in the object database and return their tree id, without a work tree.

    Blob ids are computed here; ``cat-file --batch-check`` finds the ones the repository lacks and
    one ``fast-import`` writes them; a scratch index (``update-index --index-info``) gives the tree.
    """
    check_files(files)
    ids = {path: blob_id(content) for path, content in files.items()}
    unique = sorted(set(ids.values()))
    present = git.run(
        "cat-file", "--batch-check", git_dir=bare, stdin="".join(f"{i}\n" for i in unique).encode()
    )
    missing = {line.split()[0].decode() for line in present.splitlines() if line.endswith(b" missing")}
    if missing:
        by_id = {ids[path]: files[path] for path in files}
        stream = b"".join(b"blob\ndata %d\n%s\n" % (len(by_id[i]), by_id[i]) for i in sorted(missing))
        # one pack file instead of a loose object per blob
        git.run("fast-import", "--quiet", git_dir=bare, stdin=stream, config={"fastimport.unpackLimit": "0"})
    with tempfile.TemporaryDirectory(prefix="agentic-git-index-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        git.run("read-tree", "--empty", git_dir=bare, env=env)
        entries = b"".join(f"100644 {ids[p]}\t{p}".encode() + b"\0" for p in sorted(files))
        git.run("update-index", "-z", "--index-info", git_dir=bare, env=env, stdin=entries)
        return git.text("write-tree", git_dir=bare, env=env)
