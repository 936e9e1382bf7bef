"""Commits API actions that turn an existing tree into the wanted one: only what differs is sent."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from agentic_common.git.port import Files
from agentic_common.git.tree_io import blob_id


def commit_actions(existing: Mapping[str, str], wanted: Files) -> list[dict[str, Any]]:
    """``existing``: path → blob id on the branch today. Create new paths, update changed ones,
    delete paths that are gone; contents travel base64-encoded so any bytes survive."""
    actions: list[dict[str, Any]] = []
    for path in sorted(wanted):
        content = wanted[path]
        if path not in existing:
            kind = "create"
        elif existing[path] != blob_id(content):
            kind = "update"
        else:
            continue
        actions.append(
            {
                "action": kind,
                "file_path": path,
                "encoding": "base64",
                "content": base64.b64encode(content).decode("ascii"),
            }
        )
    actions.extend({"action": "delete", "file_path": path} for path in sorted(set(existing) - set(wanted)))
    return actions


def tree_from_listing(listing: list[dict[str, Any]]) -> dict[str, str]:
    """GitLab's recursive tree listing → path → blob id (directories dropped)."""
    return {entry["path"]: entry["id"] for entry in listing if entry.get("type") == "blob"}
