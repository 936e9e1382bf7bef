"""Artifact store port (large payloads: generated repos, reports) with S3 and in-memory adapters."""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from agentic_common.events.artifacts import ArtifactRef


class ArtifactIntegrityError(RuntimeError):
    """The stored bytes do not match the digest the event carried."""


class ArtifactStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> ArtifactRef: ...

    def get(self, ref: ArtifactRef) -> bytes:
        """The bytes of ``ref``, verified against its sha256."""


def _verified(ref: ArtifactRef, data: bytes) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    if digest != ref.sha256:
        raise ArtifactIntegrityError(
            f"s3://{ref.bucket}/{ref.key} has sha256 {digest}, expected {ref.sha256}"
        )
    return data


class S3ArtifactStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> ArtifactRef:
        digest = hashlib.sha256(data).hexdigest()
        self._s3.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            ServerSideEncryption="AES256",
            Metadata={"sha256": digest},
        )
        return ArtifactRef(bucket=self._bucket, key=key, sha256=digest, size_bytes=len(data))

    def get(self, ref: ArtifactRef) -> bytes:
        body: bytes = self._s3.get_object(Bucket=ref.bucket, Key=ref.key)["Body"].read()
        return _verified(ref, body)


class InMemoryArtifactStore:
    def __init__(self, bucket: str = "memory") -> None:
        self._bucket = bucket
        self.objects: dict[str, bytes] = {}

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> ArtifactRef:
        self.objects[key] = data
        return ArtifactRef(
            bucket=self._bucket, key=key, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data)
        )

    def get(self, ref: ArtifactRef) -> bytes:
        return _verified(ref, self.objects[ref.key])
