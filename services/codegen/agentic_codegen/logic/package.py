"""A deterministic tar.gz of a rendered repository: same files, same bytes, same sha256."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass

from agentic_common.artifact_store import ArtifactStore
from agentic_common.events.artifacts import ArtifactRef

FILE_MODE = 0o644


@dataclass(frozen=True)
class Archive:
    data: bytes
    sha256: str


def _entry(path: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(path)
    info.size = size
    info.mode = FILE_MODE
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def build_archive(files: Mapping[str, bytes], prefix: str) -> Archive:
    """Files sorted by path under ``<prefix>/``, mtime 0, owner 0:0, mode 0644, gzip header mtime 0."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(files):
            content = files[path]
            tar.addfile(_entry(f"{prefix}/{path}", len(content)), io.BytesIO(content))
    compressed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    data = compressed.getvalue()
    return Archive(data=data, sha256=hashlib.sha256(data).hexdigest())


def artifact_key(workflow_id: str, service_name: str) -> str:
    return f"workflows/{workflow_id}/{service_name}.tar.gz"


def store_archive(
    artifacts: ArtifactStore, workflow_id: str, service_name: str, files: Mapping[str, bytes]
) -> ArtifactRef:
    """Archive the repository and store it under the workflow; the same files give the same object."""
    archive = build_archive(files, prefix=service_name)
    return artifacts.put(artifact_key(workflow_id, service_name), archive.data, "application/gzip")
