"""The operations and response bodies of the platform's OpenAPI document (see ``openapi_build``)."""

from __future__ import annotations

from typing import Any

from agentic_common.events.policy import Violation
from agentic_observability.logic.alerts import AlertmanagerWebhook
from agentic_planner.api.deploy_views import DecisionBody, DeployBody
from agentic_planner.api.models import CreateWorkflowBody
from agentic_policy.api.requests import ValidateRequest
from agentic_policy.logic.decision_findings import Finding
from agentic_policy.logic.decisions import DecisionRecord
from agentic_policy.logic.waivers import Waiver, WaiverRequest
from pydantic import BaseModel

REQUEST_MODELS: dict[str, type[BaseModel]] = {
    "CreateWorkflowBody": CreateWorkflowBody,
    "DeployBody": DeployBody,
    "DecisionBody": DecisionBody,
    "ValidateRequest": ValidateRequest,
    "WaiverRequest": WaiverRequest,
    "AlertmanagerWebhook": AlertmanagerWebhook,
}

# bodies the APIs dump from a model: their schema in serialization mode (views may add members)
RESPONSE_MODELS: dict[str, tuple[type[BaseModel], bool]] = {
    "DecisionRecord": (DecisionRecord, False),  # + findings_kept, next_cursor (Decision)
    "Finding": (Finding, False),  # + waiver (the decision view's findings)
    "WaiverRecord": (Waiver, False),  # + active
    "Violation": (Violation, False),  # + blocking, None fields left out
}

STR, INT, BOOL, OBJ = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "object"}
NSTR = {"type": ["string", "null"]}
NOBJ = {"type": ["object", "null"]}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "object", "required": sorted(required), "properties": required | (optional or {})}


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


COMPONENT_SCHEMAS: dict[str, Any] = {
    "Problem": obj(
        {"type": STR, "title": STR, "status": INT, "detail": STR},
        {
            "errors": array(obj({"field": STR, "problem": STR})),
            "error": {"type": "string", "description": "stable code (the last segment of type)"},
            "message": {"type": "string", "description": "the same text as detail"},
        },
    ),
    "Task": obj(
        {"taskId": STR, "agent": STR, "status": STR, "dependsOn": array(STR), "attempt": INT},
        {
            "action": NSTR,
            "maxAttempts": INT,
            "startedAt": NSTR,
            "agentStartedAt": NSTR,
            "finishedAt": NSTR,
            "error": NSTR,
        },
    ),
    "WorkflowSummary": obj(
        {"workflowId": STR, "status": STR, "requestedBy": STR, "createdAt": STR},
        {"template": NSTR, "serviceName": NSTR, "via": NSTR, "completedAt": NSTR},
    ),
    "Workflow": {
        "allOf": [
            ref("WorkflowSummary"),
            obj(
                {"parameters": OBJ, "tasks": array(ref("Task")), "remediations": array(OBJ)},
                {"updatedAt": NSTR, "duration": NSTR, "reason": NSTR, "traceId": NSTR},
            ),
        ]
    },
    "WorkflowPage": obj({"workflows": array(ref("WorkflowSummary")), "nextCursor": NSTR}),
    "DeployAccepted": obj(
        {"deploymentId": STR, "workflowId": STR, "status": STR, "version": STR},
        {"ref": STR, "approvalId": STR},
    ),
    "Deployment": obj(
        {"deploymentId": STR, "workflowId": STR, "service": STR, "environment": STR, "status": STR},
        {"version": STR, "strategy": NSTR, "url": NSTR, "history": array(OBJ)},
    ),
    "DeploymentList": obj({"deployments": array(ref("Deployment"))}),
    "Approval": obj(
        {"approvalId": STR, "kind": STR, "status": STR, "requestedBy": STR, "audit": array(OBJ)},
        {"workflowId": NSTR, "service": NSTR, "environment": NSTR, "approvedBy": array(STR)},
    ),
    "ApprovalList": obj({"approvals": array(ref("Approval"))}),
    "Validation": obj(
        {
            "valid": BOOL,
            "blocks": BOOL,
            "type": STR,
            "enforcement": obj({"environment": STR, "mode": STR}),
            "violations": array({"allOf": [ref("Violation"), obj({"blocking": BOOL})]}),
            "waived": array(ref("Violation")),
            "engines": array(STR),
            "digest": STR,
            "bundleVersion": STR,
            "decisionId": STR,
        },
        {"waivers": array(OBJ)},
    ),
    "Decision": {  # the record as stored, its findings one page at a time, each waived one with its waiver
        "allOf": [
            ref("DecisionRecord"),
            obj(
                {"findings_kept": INT, "next_cursor": NSTR},
                {"findings": array({"allOf": [ref("Finding"), obj({}, {"waiver": NOBJ})]})},
            ),
        ]
    },
    "Rules": obj({"bundle": STR, "rules": array(OBJ)}),
    "Waiver": {"allOf": [ref("WaiverRecord"), obj({"active": BOOL})]},
    "WaiverList": obj({"waivers": array(ref("Waiver"))}),
    "AlertIntake": obj(
        {
            "published": array(obj({"service": STR, "incidentId": STR, "eventId": STR})),
            "new": INT,
            "duplicates": INT,
            "resolved": INT,
            "unattributed": {"type": "array", "items": STR, "description": "fingerprints of no service"},
        }
    ),
    "Dora": obj({"window": STR, "by": STR}, {"metrics": array(OBJ), "bucket": STR, "trends": array(OBJ)}),
    "Health": obj({"status": STR}),
    "TemplateSummary": obj({"name": STR, "version": STR, "title": STR, "description": STR, "href": STR}),
    "TemplateList": obj({"templates": array(ref("TemplateSummary"))}),
    "Template": {
        "allOf": [
            ref("TemplateSummary"),
            obj({"parameters": OBJ, "form": OBJ, "tasks": array(OBJ)}),
        ]
    },
}

JSON = "application/json"


def answer(
    description: str, schema: str | None = None, links: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A response; ``links`` name the operations its body's ids lead to (followed by stateful fuzzing)."""
    if schema is None:
        return {"description": description}
    content = {"description": description, "content": {JSON: {"schema": ref(schema)}}}
    return content | ({"links": links} if links else {})


def link(operation: str, parameter: str, pointer: str) -> dict[str, Any]:
    return {"operationRef": operation, "parameters": {parameter: f"$response.body#/{pointer}"}}


def problems(*statuses: int) -> dict[str, Any]:
    problem = {"content": {"application/problem+json": {"schema": ref("Problem")}}}
    named = {str(s): {"description": f"a {s} problem"} | problem for s in statuses}
    return named | {"default": {"description": "any other error, as a problem"} | problem}


def body(schema: str, example: dict[str, Any] | None = None) -> dict[str, Any]:
    """A required JSON body; ``example`` is a request the API accepts (Swagger UI and fuzzing start there)."""
    media: dict[str, Any] = {"schema": ref(schema)}
    if example is not None:
        media["example"] = example
    return {"required": True, "content": {JSON: media}}


def param(name: str, where: str = "path", schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "schema": schema or STR}


def op(summary: str, ok: dict[str, dict[str, Any]], *errors: int, **extra: Any) -> dict[str, Any]:
    return {"summary": summary, "responses": ok | problems(401, *errors)} | extra
