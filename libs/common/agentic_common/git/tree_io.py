"""Moving a file map between memory, a scratch directory and a Git object database."""

from __future__ import annotations

from pathlib import Path

from agentic_common.git.local_runner import GitRunner
from agentic_common.git.paths import check_files
from agentic_common.git.port import Files


def write_files(root: Path, files: Files) -> None:
    """Write ``files`` under ``root``, refusing any path that would land outside it."""
    check_files(files)
    root.mkdir(parents=True, exist_ok=True)
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


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
