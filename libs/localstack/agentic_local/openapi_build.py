"""Builds the platform's one OpenAPI document (``agentic_common/openapi.json``) for every service's routes.

Request bodies come from the request models the services parse with (one source); responses are
declared here with the bodies the views build, every error as an RFC 9457 problem. A test fails when
the stored document differs from what this builds, and schemathesis checks the running API against it.
Regenerate: ``uv run --frozen python -m agentic_local.openapi_build``.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from agentic_policy.api.requests import TYPES

from agentic_local.openapi_parts import COMPONENT_SCHEMAS, REQUEST_MODELS, RESPONSE_MODELS
from agentic_local.openapi_paths import PATHS

TITLE = "Agentic DevOps API"
VERSION = "1.1.0"


def _model_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for name, model in REQUEST_MODELS.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[name] = schema
    for name, (model, exact) in RESPONSE_MODELS.items():
        schema = model.model_json_schema(mode="serialization", ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        if not exact:
            schema.pop("additionalProperties", None)
        schemas[name] = schema
    # the policy API checks the type against its table before anything else: say so in the document
    schemas["ValidateRequest"]["properties"]["type"]["enum"] = list(TYPES)
    return schemas


def build_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "Every route of every service behind the platform's API (planner, policy, "
            "observability). Errors are application/problem+json (RFC 9457). See docs/guide/api.md.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "An RS256 JWT (Backstage in AWS; `agentic token` locally).",
                },
                "webhookSecret": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The Alertmanager webhook's shared secret (docs/guide/observability.md).",
                },
            },
            "schemas": _model_schemas() | COMPONENT_SCHEMAS,
        },
    }


def rendered() -> str:
    return json.dumps(build_document(), indent=2, sort_keys=True) + "\n"


def stored_path() -> Path:
    return Path(str(resources.files("agentic_common").joinpath("openapi.json")))


def main() -> int:
    stored_path().write_text(rendered(), encoding="utf-8")
    sys.stdout.write(f"wrote {stored_path().name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
