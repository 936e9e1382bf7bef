"""The status-index page cursor: the last key DynamoDB returned, as URL-safe base64 JSON.

A cursor comes back from a client, so it is untrusted: ``start_key`` accepts only the shape this
store hands out (the four key attributes of a workflow item on the status index, strings, for the
status being listed) and raises ``ValueError`` for anything else, before any call to DynamoDB.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

KEY_ATTRIBUTES = frozenset({"workflow_id", "task_id", "wf_status", "created_at"})
MAX_VALUE_LENGTH = 400


def encode(last_key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(last_key).encode()).decode()


def start_key(cursor: str, status: str) -> dict[str, dict[str, str]]:
    """The ``ExclusiveStartKey`` a cursor stands for; ``ValueError`` if it is not one we returned."""
    try:
        key: object = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii", "strict")))
    except (binascii.Error, UnicodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError("the cursor is not base64 JSON") from exc
    if not isinstance(key, dict) or set(key) != KEY_ATTRIBUTES:
        raise ValueError("the cursor is not a status-index key")
    plain: dict[str, str] = {}
    for name, value in key.items():
        if not (isinstance(value, dict) and set(value) == {"S"} and isinstance(value["S"], str)):
            raise ValueError(f"the cursor's {name} is not a string attribute")
        if not 0 < len(value["S"]) <= MAX_VALUE_LENGTH:
            raise ValueError(f"the cursor's {name} has an impossible length")
        plain[name] = value["S"]
    if plain["wf_status"] != status:
        raise ValueError("the cursor belongs to another status")
    return {name: {"S": text} for name, text in plain.items()}
