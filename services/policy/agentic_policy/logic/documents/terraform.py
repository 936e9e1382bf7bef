"""Terraform resources for the bundle, from HCL (bc-python-hcl2) or from ``terraform show -json``.

Both give ``{"address", "type", "name", "mode", "values", "file", "line"}``. hcl2 wraps every attribute
in a one-element list; those are unwrapped (blocks stay lists of objects, maps such as tags stay maps).
Values computed by expressions stay as their ``${...}`` text: rules treat them as unknown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from hcl2.api import loads as hcl2_loads
from lark.exceptions import LarkError

from agentic_policy.logic.documents.errors import UnreadableInputError

MAP_ATTRIBUTES = frozenset({"tags", "tags_all", "labels", "variables", "environment"})
LINE_KEYS = ("__start_line__", "__end_line__")


def parse_hcl(text: str, path: str) -> dict[str, Any]:
    try:
        parsed: dict[str, Any] = hcl2_loads(text)
        return parsed
    except (LarkError, ValueError, UnicodeDecodeError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnreadableInputError(path, f"is not valid HCL: {first_line[:300]}") from None


def hcl_resources(parsed: dict[str, Any], path: str) -> list[dict[str, Any]]:
    resources = []
    for mode, key in (("managed", "resource"), ("data", "data")):
        for block in parsed.get(key, []):
            for rtype, named in block.items():
                for name, body in named.items():
                    address = f"{'data.' if mode == 'data' else ''}{rtype}.{name}"
                    resources.append(
                        {
                            "address": address,
                            "type": rtype,
                            "name": name,
                            "mode": mode,
                            "values": decode_json_attributes(_unwrap(body)),
                            "file": path,
                            "line": body.get("__start_line__"),
                        }
                    )
    return resources


def hcl_providers(parsed: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": name, **_unwrap(body)}
        for block in parsed.get("provider", [])
        for name, body in block.items()
    ]


def _unwrap(body: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in body.items():
        if key in LINE_KEYS:
            continue
        values[key] = _value(key, value)
    return values


def _value(key: str, value: Any) -> Any:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        if key in MAP_ATTRIBUTES and len(value) == 1:
            return value[0]
        return [_unwrap(v) for v in value]
    if isinstance(value, list) and len(value) == 1:
        return _literal(value[0])
    return _literal(value)


def _literal(value: Any) -> Any:
    if isinstance(value, str):
        return _HCL_ESCAPE.sub(lambda m: _unescape(m.group(1)), value)
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    return value


_HCL_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|[nrt\"\\])")
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(escape: str) -> str:
    """bc-python-hcl2 keeps string escapes as written; HCL means the character."""
    return chr(int(escape[1:], 16)) if escape.startswith("u") else _SIMPLE_ESCAPES[escape]


def plan_resources(content: bytes, path: str) -> list[dict[str, Any]]:
    """Resources of a plan's ``planned_values`` (root module and every child module)."""
    try:
        plan = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UnreadableInputError(path, f"is not valid JSON: {exc}") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("planned_values"), dict):
        raise UnreadableInputError(
            path, "is not a Terraform plan: `terraform show -json` output has planned_values"
        )
    root = plan["planned_values"].get("root_module") or {}
    return [
        {
            "address": r.get("address", ""),
            "type": r.get("type", ""),
            "name": r.get("name", ""),
            "mode": r.get("mode", "managed"),
            "values": decode_json_attributes(r.get("values") or {}),
            "file": path,
            "line": None,
        }
        for r in _modules(root)
    ]


def _modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _modules(child)


JSON_ATTRIBUTES = frozenset({"policy", "assume_role_policy", "container_definitions"})


def decode_json_attributes(values: dict[str, Any]) -> dict[str, Any]:
    """Policy attributes that hold JSON text (plan JSON, HCL literals) as objects the rules can read."""
    decoded = dict(values)
    for key in JSON_ATTRIBUTES & values.keys():
        text = values[key]
        if isinstance(text, str) and text.lstrip().startswith(("{", "[")):
            try:
                decoded[key] = json.loads(text)
            except json.JSONDecodeError:
                continue  # left as text: an expression or broken JSON, the rules treat it as unknown
    return decoded
