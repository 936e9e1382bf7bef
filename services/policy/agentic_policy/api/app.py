"""The policy HTTP API (API Gateway HTTP API → Lambda, Powertools resolver).

``POST /policy/validate`` evaluates content now; ``POST``/``GET /policy/waivers`` create and list
waivers; ``GET /policy/decisions/<id>`` returns a decision record with a page of its findings
(``limit``, ``cursor``); ``GET /policy/rules`` the bundle's rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

from agentic_common.artifact_store import ArtifactIntegrityError, ArtifactStore
from agentic_common.environments import UnknownEnvironmentError
from agentic_common.http_auth import json_response, require_jwt
from agentic_common.problem_responses import register_problem_handlers
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from botocore.exceptions import ClientError
from pydantic import BaseModel, ValidationError

from agentic_policy.api.errors import ApiError, error_response, pydantic_problems
from agentic_policy.api.requests import SCOPES, TYPES, ValidateRequest, files_for, too_large
from agentic_policy.api.views import decision_view, validation_view
from agentic_policy.api.waiver_routes import waiver_routes
from agentic_policy.logic.archive import UnsafeArchiveError, read_repository
from agentic_policy.logic.bundle import BundleError
from agentic_policy.logic.decision_findings import InvalidPageError, page_of
from agentic_policy.logic.input_limits import InputTooLargeError
from agentic_policy.logic.service import PolicyService
from agentic_policy.logic.waiver_flow import WaiverFlow
from agentic_policy.logic.waiver_rules import WaiverRules
from agentic_policy.ports import WaiverStore

Model = TypeVar("Model", bound=BaseModel)


@dataclass
class ApiDeps:
    service: PolicyService
    waivers: WaiverStore
    artifacts: ArtifactStore
    artifacts_bucket: str
    max_body_bytes: int = 5 * 1024 * 1024
    waiver_rules: WaiverRules | None = None  # default: the bundle's owners, group policy-approvers

    def waiver_flow(self) -> WaiverFlow:
        engine = self.service.engine
        rules = self.waiver_rules or WaiverRules(bundle=engine.bundle, enforcement=engine.enforcement)
        return WaiverFlow(store=self.waivers, rules=rules, clock=engine.clock)


def build_app(deps: ApiDeps) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver()
    app.use(middlewares=[require_jwt()])
    _validation_routes(app, deps)
    waiver_routes(app, deps.waiver_flow(), parse_body=lambda model: parse_body(app, deps, model))

    @app.exception_handler(ApiError)
    def api_error(exc: ApiError) -> Response[str]:
        return exc.response()

    @app.exception_handler(BundleError)
    def bundle_error(exc: BundleError) -> Response[str]:
        return error_response(
            500, "policy_bundle_error", f"the policy bundle could not evaluate this input: {exc}"
        )

    register_problem_handlers(app, "policy")  # 404, 405 with Allow, OPTIONS, too-deep JSON: shared
    return app


def parse_body(app: APIGatewayHttpResolver, deps: ApiDeps, model: type[Model]) -> Model:
    raw = (app.current_event.decoded_body or "").encode()
    if len(raw) > deps.max_body_bytes:
        raise ApiError(
            413,
            "body_too_large",
            f"the body is {len(raw)} bytes; the limit is {deps.max_body_bytes}. "
            "Send a repository as an artifact reference instead.",
        )
    try:
        parsed = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json", f"the request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "the request body nests JSON too deeply to read") from None
    try:
        return model.model_validate(parsed)
    except ValidationError as exc:
        problems = pydantic_problems(list(exc.errors()))
        message = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        raise ApiError(422, "invalid_request", message, problems[0]["field"]) from None


def validate(deps: ApiDeps, request: ValidateRequest) -> dict[str, Any]:
    if request.type not in TYPES:
        raise ApiError(
            400, "unknown_type", f"type {request.type!r} is not one of: {', '.join(TYPES)}", "type"
        )
    limits = deps.service.engine.limits
    files = _repository(deps, request) if request.type == "repository" else files_for(request, limits)
    try:
        evaluation, decision = deps.service.evaluate(
            files, request.environment, request.subject, scope=SCOPES[request.type]
        )
    except UnknownEnvironmentError as exc:
        raise ApiError(422, "unknown_environment", str(exc), "environment") from None
    except InputTooLargeError as exc:  # a file inside a repository artifact
        raise too_large(exc, "artifact") from None
    return validation_view(evaluation, decision, request.type)


def _validation_routes(app: APIGatewayHttpResolver, deps: ApiDeps) -> None:
    @app.post("/policy/validate")
    def validate_route() -> Response[str]:
        return json_response(200, validate(deps, parse_body(app, deps, ValidateRequest)))

    @app.get("/policy/decisions/<decision_id>")
    def get_decision(decision_id: str) -> Response[str]:
        decision = deps.service.decisions.get(decision_id)
        if decision is None:
            raise ApiError(404, "not_found", f"no decision {decision_id!r}")
        query = app.current_event.get_query_string_value
        try:
            page = page_of(decision.findings, query("limit"), query("cursor"))
        except InvalidPageError as exc:
            raise ApiError(
                400 if exc.field == "cursor" else 422, "invalid_request", exc.problem, exc.field
            ) from None
        return json_response(200, decision_view(decision, page))

    @app.get("/policy/rules")
    def rules() -> Response[str]:
        bundle = deps.service.engine.bundle
        return json_response(200, {"bundle": bundle.version, "rules": [vars(m) for m in bundle.rules()]})


def _repository(deps: ApiDeps, request: ValidateRequest) -> dict[str, bytes]:
    artifact = request.artifact
    if artifact is None:
        raise ApiError(
            422,
            "missing_artifact",
            "type repository needs artifact {bucket, key, sha256, size_bytes}",
            "artifact",
        )
    if artifact.bucket != deps.artifacts_bucket:
        raise ApiError(
            403, "foreign_bucket", f"artifacts are read from {deps.artifacts_bucket} only", "artifact.bucket"
        )
    try:
        return read_repository(deps.artifacts.get(artifact))
    except ArtifactIntegrityError as exc:
        raise ApiError(409, "artifact_integrity", str(exc), "artifact.sha256") from None
    except UnsafeArchiveError as exc:
        raise ApiError(422, "unsafe_archive", str(exc), "artifact") from None
    except KeyError:  # the in-memory store (local runs, tests)
        raise ApiError(
            404, "artifact_not_found", f"no object {artifact.key} in {artifact.bucket}", "artifact.key"
        ) from None
    except ClientError as exc:
        if exc.response["Error"]["Code"] in {"NoSuchKey", "404"}:
            raise ApiError(
                404, "artifact_not_found", f"no object {artifact.key} in {artifact.bucket}", "artifact.key"
            ) from None
        raise
