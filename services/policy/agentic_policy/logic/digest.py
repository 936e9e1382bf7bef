"""The digest of exactly what was evaluated: file paths and contents, canonically ordered."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def content_digest(files: Mapping[str, bytes]) -> str:
    outer = hashlib.sha256()
    for path in sorted(files):
        outer.update(path.encode("utf-8") + b"\0")
        outer.update(hashlib.sha256(files[path]).digest())
    return outer.hexdigest()
