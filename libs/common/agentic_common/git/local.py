"""Local Git host: one bare repository per project on disk, driven with the real ``git`` executable.

Trees are built straight in the object database (``fast-import`` of the missing blobs, a scratch
index, ``write-tree``: no work tree, no checkout), commits with ``commit-tree``, and branches move
with ``update-ref <new> <old>`` (a compare-and-swap: a concurrent writer makes ours fail instead of
being overwritten). Merge requests are ``refs/merge-requests/<iid>/head`` refs in the bare
repository plus JSON records beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentic_common.git.local_records import MergeRequestRecords
from agentic_common.git.local_runner import GitRunner
from agentic_common.git.paths import change_branch, check_branch, check_files, check_project, split_message
from agentic_common.git.port import Files, GitHostError, MergeRequestRef, PublishedRepo
from agentic_common.git.tree_io import read_tree_at, write_tree_objects

ZERO = "0" * 40


class LocalGitHost:
    """The ``GitHost`` port over bare repositories at ``<root>/<namespace>/<project>.git``."""

    def __init__(
        self, root: Path, namespace: str, branch: str = "main", timeout_seconds: float = 120
    ) -> None:
        self._root = root
        self._namespace = namespace
        self._branch = branch
        self._git = GitRunner(timeout_seconds)

    def repo_path(self, project: str) -> Path:
        check_project(project)
        return (self._root / self._namespace / f"{project}.git").resolve()

    def records(self, project: str) -> MergeRequestRecords:
        return MergeRequestRecords(self.repo_path(project).with_suffix(".merge_requests"))

    def merge_request(self, project: str, iid: int) -> dict[str, Any]:
        return self.records(project).get(iid)

    def publish(self, project: str, files: Files, message: str, *, description: str = "") -> PublishedRepo:
        check_files(files)
        bare = self._ensure_bare(self.repo_path(project))
        if description:
            (bare / "description").write_text(description.strip() + "\n")  # what git's web views show
        head = self._head(bare, self._branch)
        tree = self._tree(bare, files)
        if head is None:
            commit = self._commit(bare, tree, None, message)
            self._move(bare, f"refs/heads/{self._branch}", commit, ZERO)
            return PublishedRepo(repo_url=bare.as_uri(), commit=commit, branch=self._branch)
        if self._tree_of(bare, head) == tree:
            return PublishedRepo(repo_url=bare.as_uri(), commit=head, branch=self._branch)
        title, description = split_message(message)
        branch = change_branch(files)
        mr = self.open_merge_request(project, branch, files, title, description)
        return PublishedRepo(repo_url=bare.as_uri(), commit=mr.commit, branch=branch, merge_request=mr)

    def open_merge_request(
        self, project: str, branch: str, files: Files, title: str, description: str
    ) -> MergeRequestRef:
        check_files(files)
        check_branch(branch)
        if branch == self._branch:
            raise GitHostError(
                f"a merge request cannot come from the default branch {branch!r}", retryable=False
            )
        bare = self.repo_path(project)
        base = self._head(bare, self._branch) if (bare / "HEAD").is_file() else None
        if base is None:
            raise GitHostError(
                f"project {project!r} has no {self._branch} branch yet; publish it first", retryable=False
            )
        records = self.records(project)
        with records.locked():
            commit = self._commit_to_branch(bare, branch, base, files, title)
            record = records.open_for(branch)
            if record is None:
                record = records.create(
                    source_branch=branch,
                    target_branch=self._branch,
                    title=title,
                    description=description,
                    sha=commit,
                )
            elif record["sha"] != commit:
                record |= {"sha": commit, "title": title, "description": description}
                records.save(record)
            self._git.run("update-ref", f"refs/merge-requests/{record['iid']}/head", commit, git_dir=bare)
        return MergeRequestRef(
            iid=record["iid"], url=records.path(record["iid"]).as_uri(), source_branch=branch, commit=commit
        )

    def comment(self, project: str, merge_request_iid: int, body: str) -> None:
        if not body.strip():
            raise GitHostError("a merge request comment needs a non-empty body", retryable=False)
        records = self.records(project)
        with records.locked():
            records.add_note(merge_request_iid, body)

    def read_tree(self, project: str, ref: str) -> dict[str, bytes]:
        bare = self.repo_path(project)
        if not (bare / "HEAD").is_file():
            raise GitHostError(f"project {project!r} does not exist", retryable=False)
        commit = self._git.text(
            "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", git_dir=bare, check=False
        )
        if not commit:
            raise GitHostError(f"{ref!r} does not exist in project {project!r}", retryable=False)
        return read_tree_at(self._git, bare, commit)

    def _commit_to_branch(self, bare: Path, branch: str, base: str, files: Files, message: str) -> str:
        head = self._head(bare, branch)
        tree = self._tree(bare, files)
        if head is not None and self._tree_of(bare, head) == tree:
            return head
        if head is None and self._tree_of(bare, base) == tree:
            raise GitHostError(f"the files are already on {self._branch}: nothing to merge", retryable=False)
        commit = self._commit(bare, tree, head or base, message)
        self._move(bare, f"refs/heads/{branch}", commit, head or ZERO)
        return commit

    def _ensure_bare(self, bare: Path) -> Path:
        if not (bare / "HEAD").is_file():
            bare.parent.mkdir(parents=True, exist_ok=True)
            self._git.run("init", "--quiet", "--bare", f"--initial-branch={self._branch}", str(bare))
        return bare

    def _head(self, bare: Path, branch: str) -> str | None:
        return (
            self._git.text(
                "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", git_dir=bare, check=False
            )
            or None
        )

    def _tree_of(self, bare: Path, commit: str) -> str:
        return self._git.text("rev-parse", f"{commit}^{{tree}}", git_dir=bare)

    def _tree(self, bare: Path, files: Files) -> str:
        return write_tree_objects(self._git, bare, files)

    def _commit(self, bare: Path, tree: str, parent: str | None, message: str) -> str:
        parents = ["-p", parent] if parent else []
        return self._git.text("commit-tree", tree, *parents, git_dir=bare, stdin=message.encode())

    def _move(self, bare: Path, ref: str, new: str, old: str) -> None:
        self._git.run("update-ref", ref, new, old, git_dir=bare)
