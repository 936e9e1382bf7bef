"""Answers of the Anthropic Messages API, for a local server (pytest-httpserver) to send back."""

from __future__ import annotations

from typing import Any

from agentic_planner.adapters.claude_planner import TOOL_NAME


def message(content: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "content": content,
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": 812, "output_tokens": 64},
    }


def tool_use(arguments: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_use", "id": "toolu_01", "name": TOOL_NAME, "input": arguments}


def error(kind: str, text: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": text}}
