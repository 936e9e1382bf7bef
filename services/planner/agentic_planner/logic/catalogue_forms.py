"""A catalogue template's parameters as a form schema (Backstage's scaffolder, any JSON Schema form).

The catalogue's schema is the validation schema of ``POST /workflows`` (draft 2020-12). A form
renderer wants draft-07 without our own keywords and with a title on every field, so this returns
the same constraints with: no ``$schema``; ``x-aliases`` dropped (the API accepts aliases, a form
offers only canonical values); ``enumNames`` given as ``ui:enumNames``; a ``title`` for each field.
"""

from __future__ import annotations

import re
from typing import Any

from agentic_planner.logic.catalogue_models import Template

_DROPPED = ("$schema", "x-aliases")


def field_title(name: str) -> str:
    """``serviceName`` → ``Service name``; ``repoUrl`` → ``Repo URL``."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name).split()
    text = " ".join(w if w.isupper() else w.lower() for w in words).replace("url", "URL")
    return text[:1].upper() + text[1:]


def _form_property(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    prop = {"title": field_title(name)} | {k: v for k, v in schema.items() if k not in _DROPPED}
    if "enumNames" in prop:
        prop["ui:enumNames"] = prop.pop("enumNames")
    if isinstance(prop.get("items"), dict) and "properties" in prop["items"]:
        items = prop["items"]
        prop["items"] = items | {
            "properties": {n: _form_property(n, p) for n, p in items["properties"].items()}
        }
    return prop


def form_schema(template: Template) -> dict[str, Any]:
    """One form page: the template's title, description and every parameter with a title."""
    schema = {k: v for k, v in template.parameters.items() if k not in _DROPPED}
    properties = schema.pop("properties", {})
    return {
        "title": template.title,
        "description": template.description,
        **schema,
        "properties": {name: _form_property(name, prop) for name, prop in properties.items()},
    }
