"""``GET /templates`` and ``GET /templates/{name}``: the catalogue's templates and their parameter schemas.

A form (Backstage's scaffolder, a CLI prompt) reads ``parameters``, the JSON Schema that
``POST /workflows`` validates ``parameters`` against, and ``form``, the same schema as a form renderer
wants it (``agentic_planner.logic.catalogue_forms``). Unknown names are a 404 listing the known ones.
"""

from __future__ import annotations

import json
from typing import Any

from agentic_common.problem_responses import problem_response
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types

from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.logic.catalogue_forms import form_schema
from agentic_planner.logic.catalogue_models import Template


def template_summary(template: Template) -> dict[str, Any]:
    return {
        "name": template.name,
        "version": template.version,
        "title": template.title,
        "description": template.description,
        "href": f"/templates/{template.name}",
    }


def template_view(template: Template) -> dict[str, Any]:
    return template_summary(template) | {
        "parameters": template.parameters,
        "form": form_schema(template),
        "tasks": [{"taskId": t.id, "agent": t.agent, "action": t.action} for t in template.tasks],
    }


def _ok(body: dict[str, Any]) -> Response[str]:
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=json.dumps(body))


def register_template_routes(app: APIGatewayHttpResolver, catalogue: Catalogue) -> None:
    @app.get("/templates", summary="The catalogue's templates (name, version, title, description)")
    def list_templates() -> Response[str]:
        return _ok({"templates": [template_summary(catalogue.get(name)) for name in catalogue.names]})

    @app.get("/templates/<name>", summary="One template with its parameters JSON Schema and form schema")
    def get_template(name: str) -> Response[str]:
        if name not in catalogue.names:
            known = ", ".join(catalogue.names)
            return problem_response(
                404,
                "unknown_template",
                f"no template {name!r}; known templates: {known}",
                [{"field": "name", "problem": f"unknown template; known templates: {known}"}],
                knownTemplates=catalogue.names,
            )
        return _ok(template_view(catalogue.get(name)))
