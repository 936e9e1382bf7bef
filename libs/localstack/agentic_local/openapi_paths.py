"""Every route of every service, with its parameters, body and answers (part of the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from agentic_common.state import WorkflowStatus

from agentic_local.openapi_parts import STR, answer, body, link, op, param, problems

PUBLIC: list[dict[str, Any]] = []
STATUSES = {"enum": [s.value for s in WorkflowStatus]}
SERVICE = {"type": "string", "minLength": 3, "maxLength": 63}
IDEMPOTENCY_KEY = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[\\x21-\\x7e]+$"}
LIMIT = {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
NAME = {"type": "string", "maxLength": 63, "pattern": "^[a-z]([a-z0-9-]*[a-z0-9])?$"}
REQUESTER = {"type": "string", "minLength": 3, "maxLength": 254, "pattern": "^\\S+$"}

WORKFLOW_LINKS = {"GetWorkflow": link("#/paths/~1workflows~1{workflowId}/get", "workflowId", "workflowId")}
DEPLOY_LINKS = {
    "GetDeployment": link("#/paths/~1deployments~1{deploymentId}/get", "deploymentId", "deploymentId"),
    "GetWorkflow": link("#/paths/~1workflows~1{workflowId}/get", "workflowId", "workflowId"),
}
WAIVER_LINKS = {
    "GetWaiver": link("#/paths/~1policy~1waivers~1{waiverId}/get", "waiverId", "waiver_id"),
    "ApproveWaiver": link("#/paths/~1policy~1waivers~1{waiverId}~1approve/post", "waiverId", "waiver_id"),
}

NEW_SERVICE = {
    "template": "microservice-rest-api",
    "parameters": {"serviceName": "orders-api", "language": "python", "environment": "dev"},
}
DOCKERFILE = {"type": "dockerfile", "environment": "dev", "content": "FROM python:3.11-slim\nUSER 1000\n"}
FIRING = {
    "version": "4",
    "status": "firing",
    "receiver": "agentic",
    "alerts": [
        {
            "status": "firing",
            "fingerprint": "5c1d2a3b4e5f6071",
            "startsAt": "2026-12-03T10:00:00Z",
            "labels": {"alertname": "HighErrorRate", "service": "orders-api", "severity": "critical"},
        }
    ],
}

PATHS: dict[str, Any] = {
    "/health": {
        "get": {
            "summary": "Liveness (no auth)",
            "security": PUBLIC,
            "responses": {"200": answer("alive", "Health")} | problems(),
        }
    },
    "/openapi.json": {
        "get": {
            "summary": "This document (no auth)",
            "security": PUBLIC,
            "responses": {
                "200": {"description": "the OpenAPI document", "content": {"application/json": {}}}
            },
        }
    },
    "/docs": {
        "get": {
            "summary": "Swagger UI over this document (no auth)",
            "security": PUBLIC,
            "responses": {"200": {"description": "the page", "content": {"text/html": {"schema": STR}}}},
        }
    },
    "/workflows": {
        "post": op(
            "Create a workflow from a catalogue template (or free text)",
            {"201": answer("created (or replayed for the same Idempotency-Key)", "Workflow", WORKFLOW_LINKS)},
            400,
            403,
            409,
            413,
            422,
            requestBody=body("CreateWorkflowBody", NEW_SERVICE),
            parameters=[param("Idempotency-Key", "header", IDEMPOTENCY_KEY)],
        ),
        "get": op(
            "Workflows by status, newest first (paginated)",
            {"200": answer("one page", "WorkflowPage")},
            400,
            422,
            parameters=[
                param("status", "query", {"type": "string"} | STATUSES),
                param("limit", "query", LIMIT),
                param("cursor", "query", {"type": "string", "maxLength": 2048}),
                param("template", "query", NAME | {"minLength": 1, "description": "a catalogue template"}),
                param("service", "query", NAME | {"minLength": 3, "description": "the service it is for"}),
                param("requester", "query", REQUESTER | {"description": "who requested it (token subject)"}),
            ],
        ),
    },
    "/workflows/{workflowId}": {
        "get": op(
            "One workflow with its tasks and remediation records",
            {"200": answer("the workflow", "Workflow")},
            404,
            parameters=[param("workflowId")],
        )
    },
    "/templates": {
        "get": op(
            "The catalogue's templates (name, version, title, description)",
            {"200": answer("the templates", "TemplateList")},
        )
    },
    "/templates/{name}": {
        "get": op(
            "One template with its parameters JSON Schema and form schema",
            {"200": answer("the template", "Template")},
            404,
            parameters=[param("name")],
        )
    },
    "/deploy": {
        "post": op(
            "Deploy a version of a service (a one-task deployment workflow)",
            {"202": answer("accepted", "DeployAccepted", DEPLOY_LINKS)},
            400,
            403,
            409,
            422,
            requestBody=body("DeployBody"),
            parameters=[param("Idempotency-Key", "header", IDEMPOTENCY_KEY)],
        )
    },
    "/deployments": {
        "get": op(
            "A service's deployments, newest first",
            {"200": answer("the deployments", "DeploymentList")},
            422,
            parameters=[
                {"name": "service", "in": "query", "required": True, "schema": SERVICE},
                param("limit", "query", LIMIT),
            ],
        )
    },
    "/deployments/{deploymentId}": {
        "get": op(
            "One deployment with its history",
            {"200": answer("the deployment", "Deployment")},
            404,
            parameters=[param("deploymentId")],
        )
    },
    "/approvals": {
        "get": op(
            "Pending approvals, oldest first",
            {"200": answer("pending approvals", "ApprovalList")},
            422,
            parameters=[param("kind", "query", {"type": "string", "enum": ["deployment", "remediation"]})],
        )
    },
    "/approvals/{approvalId}": {
        "get": op(
            "One approval with its audit trail",
            {"200": answer("the approval", "Approval")},
            404,
            parameters=[param("approvalId")],
        ),
        "post": op(
            "Approve or reject (authorised users only)",
            {"200": answer("the decided approval", "Approval")},
            400,
            403,
            404,
            409,
            422,
            parameters=[param("approvalId")],
            requestBody=body("DecisionBody"),
        ),
    },
    "/policy/validate": {
        "post": op(
            "Evaluate content against the policy bundle now",
            {"200": answer("the evaluation and its decision record", "Validation")},
            400,
            403,
            404,
            409,
            413,
            422,
            requestBody=body("ValidateRequest", DOCKERFILE),
        )
    },
    "/policy/decisions/{decisionId}": {
        "get": op(
            "One decision record",
            {"200": answer("the decision", "Decision")},
            404,
            parameters=[param("decisionId")],
        )
    },
    "/policy/rules": {"get": op("The bundle's rules", {"200": answer("the rules", "Rules")})},
    "/policy/waivers": {
        "post": op(
            "Request a waiver (active at once for an approver, else pending a second person)",
            {
                "201": answer("active", "Waiver", WAIVER_LINKS),
                "202": answer("pending approval", "Waiver", WAIVER_LINKS),
            },
            400,
            403,
            413,
            422,
            requestBody=body("WaiverRequest"),
        ),
        "get": op(
            "Waivers, optionally of one repository",
            {"200": answer("the waivers", "WaiverList")},
            parameters=[param("repository", "query")],
        ),
    },
    "/policy/waivers/{waiverId}": {
        "get": op(
            "One waiver with its audit trail",
            {"200": answer("the waiver", "Waiver")},
            404,
            parameters=[param("waiverId")],
        )
    },
    "/policy/waivers/{waiverId}/approve": {
        "post": op(
            "Approve a pending waiver (a second person of the owning group or a policy approver)",
            {"200": answer("the approved waiver", "Waiver")},
            403,
            404,
            409,
            422,
            parameters=[param("waiverId")],
        )
    },
    "/alerts/alertmanager": {
        "post": op(
            "Alertmanager webhook intake (its shared secret, not a JWT)",
            {"202": answer("recorded; new incidents published", "AlertIntake")},
            400,
            413,
            422,
            503,
            security=[{"webhookSecret": []}],
            requestBody=body("AlertmanagerWebhook", FIRING),
        )
    },
    "/metrics/dora": {
        "get": op(
            "DORA metrics by service or template; bucket=week: per ISO week (trends)",
            {"200": answer("the metrics", "Dora")},
            422,
            parameters=[
                param("service", "query"),
                param("window", "query", {"type": "string", "pattern": "^[0-9]+[hd]$"}),
                param("by", "query", {"type": "string", "enum": ["service", "template"]}),
                param("bucket", "query", {"type": "string", "enum": ["week"]}),
            ],
        )
    },
}
