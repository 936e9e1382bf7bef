"""The parameter schema of a generated service, declared once (``service_parameters.yaml``).

Codegen validates its task with it; the planner's workflow templates take its properties by naming
it (``"x-properties-from": "service-parameters"`` in their parameters schema, an extension keyword
JSON Schema validators ignore), and keep their own ``required`` and ``additionalProperties``.
"""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import Any

import yaml

SHARED_KEY = "x-properties-from"
SOURCES = {"service-parameters": "service_parameters.yaml"}


class UnknownParametersSourceError(ValueError):
    pass


@cache
def _load(name: str) -> dict[str, Any]:
    text = (resources.files("agentic_common") / SOURCES[name]).read_text(encoding="utf-8")
    # libyaml's loader when the wheel has it: the pure-Python one costs ~10 ms of every planner cold start
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    if not isinstance(data, dict) or not isinstance(data.get("properties"), dict):
        raise ValueError(f"{SOURCES[name]} is not a JSON Schema object with properties")
    return data


def service_parameters() -> dict[str, Any]:
    """The whole schema (a copy: callers may narrow it)."""
    return copy.deepcopy(_load("service-parameters"))


def with_shared_properties(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the properties its ``x-properties-from`` names (its own properties win)."""
    if SHARED_KEY not in schema:
        return schema
    name = schema[SHARED_KEY]
    if name not in SOURCES:
        raise UnknownParametersSourceError(f"{SHARED_KEY} {name!r} is not one of {sorted(SOURCES)}")
    expanded = {k: v for k, v in schema.items() if k != SHARED_KEY}
    expanded["properties"] = copy.deepcopy(_load(name)["properties"]) | schema.get("properties", {})
    return expanded
