"""Dockerfiles for the bundle, parsed by dockerfile-parse (continuations, ARG defaults in FROM).

Each stage gives its resolved base image, alias and line; ``final_instructions`` are the instructions
the final image inherits: those of the stages it is built ``FROM``, then its own, in order.
"""

from __future__ import annotations

import io
from typing import Any

from dockerfile_parse import DockerfileParser

from agentic_policy.logic.documents.errors import UnreadableInputError


def dockerfile_document(content: bytes, path: str) -> dict[str, Any]:
    parser = DockerfileParser(fileobj=io.BytesIO(content))
    try:
        images = parser.parent_images
    except (IndexError, KeyError, ValueError) as exc:  # e.g. an ARG without a name
        raise UnreadableInputError(path, f"is not a Dockerfile dockerfile-parse can read ({exc!r})") from None
    stages: list[dict[str, Any]] = []
    for instruction in parser.structure:
        command = instruction["instruction"].lower()
        if command == "from":
            words = instruction["value"].split()
            alias = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            image = images[len(stages)] if len(stages) < len(images) else (words[0] if words else "")
            stages.append(
                {"image": image, "alias": alias, "line": instruction["startline"] + 1, "instructions": []}
            )
        elif stages:
            stages[-1]["instructions"].append(
                {"cmd": command, "value": instruction["value"], "line": instruction["startline"] + 1}
            )
    return {"file": path, "stages": [_public(s) for s in stages], "final_instructions": _inherited(stages)}


def _public(stage: dict[str, Any]) -> dict[str, Any]:
    return {"image": stage["image"], "alias": stage["alias"], "line": stage["line"]}


def _inherited(stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not stages:
        return []
    by_alias = {s["alias"].lower(): s for s in stages if s["alias"]}
    chain: list[dict[str, Any]] = []
    stage: dict[str, Any] | None = stages[-1]
    while stage is not None and stage not in chain:
        chain.append(stage)
        stage = by_alias.get(stage["image"].lower())
    return [i for s in reversed(chain) for i in s["instructions"]]
