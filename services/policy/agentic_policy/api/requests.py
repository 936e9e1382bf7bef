"""``POST /policy/validate``: the request body, and the files each request type stands for.

``type`` says what ``content`` (or ``files``, or ``artifact``) holds:
terraform_plan → base64 of ``terraform show -json``; terraform → HCL (``content``: one main.tf, or
``files``: path → HCL); kubernetes → YAML manifests; dockerfile → a Dockerfile; gitlab_ci → a
.gitlab-ci.yml; repository → ``artifact``, a reference to a repository tarball in the artifacts bucket.
Every parse problem is an ``ApiError`` naming the field (and file) and what is wrong.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from agentic_common.events.artifacts import ArtifactRef
from pydantic import BaseModel, ConfigDict, Field

from agentic_policy.api.errors import ApiError
from agentic_policy.logic.documents import UnreadableInputError
from agentic_policy.logic.documents.kubernetes import load_yaml_documents, manifest_documents
from agentic_policy.logic.documents.terraform import parse_hcl, plan_resources
from agentic_policy.logic.engines import Scope
from agentic_policy.logic.input_limits import InputLimits, InputTooLargeError

TYPES = ("terraform_plan", "terraform", "kubernetes", "dockerfile", "gitlab_ci", "repository")
SCOPES = {
    "terraform_plan": Scope(
        hadolint=False, kubernetes_schema=False, gitlab_ci=False, secrets=False, repository=False
    ),
    "terraform": Scope(hadolint=False, kubernetes_schema=False, gitlab_ci=False, repository=False),
    "kubernetes": Scope(hadolint=False, gitlab_ci=False, repository=False),
    "dockerfile": Scope(kubernetes_schema=False, gitlab_ci=False, repository=False),
    "gitlab_ci": Scope(rego=False, checkov=False, hadolint=False, kubernetes_schema=False, repository=False),
    "repository": Scope(),
}
MAX_FILES = 500


class ValidateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str
    environment: str = "prod"
    subject: str = Field(
        default="adhoc",
        min_length=1,
        max_length=200,
        description="repository the content belongs to (its waivers apply)",
    )
    content: str | None = None
    files: dict[str, str] | None = None
    artifact: ArtifactRef | None = None


def too_large(error: InputTooLargeError, field: str) -> ApiError:
    return ApiError(413, "content_too_large", error.message, field)


def files_for(request: ValidateRequest, limits: InputLimits | None = None) -> dict[str, bytes]:
    """The files the request stands for (not for ``repository``, which the handler fetches).

    Each file is held to its type's size limit before it is parsed (413 naming the field and limit).
    """
    limits = limits or InputLimits()
    return _checked(_files_for(request, limits), request, limits)


def _files_for(request: ValidateRequest, limits: InputLimits) -> dict[str, bytes]:
    kind = request.type
    if kind == "terraform_plan":
        plan = _decode_base64(_content(request))
        if len(plan) > limits.plan_bytes:
            raise ApiError(
                413,
                "content_too_large",
                f"the plan JSON is {len(plan)} bytes; the limit is {limits.plan_bytes} bytes",
                "content",
            )
        _check(lambda: plan_resources(plan, "plan.json"), "content")
        return {"plan.json": plan}
    if kind == "terraform":
        files = _checked(_files(request, "main.tf", (".tf",)), request, limits)
        for path, text in files.items():
            _check(lambda p=path, t=text: parse_hcl(t.decode("utf-8"), p), f"files.{path}")
        return files
    if kind == "kubernetes":
        files = _checked(_files(request, "manifests.yaml", (".yaml", ".yml")), request, limits)
        for path, text in files.items():
            if not _check(lambda p=path, t=text: manifest_documents(t, p), f"files.{path}"):
                raise ApiError(
                    422,
                    "no_manifests",
                    f"{path} holds no Kubernetes object (apiVersion and kind)",
                    f"files.{path}",
                )
        return files
    if kind == "dockerfile":
        return {"Dockerfile": _utf8(_content(request), "content")}
    if kind == "gitlab_ci":
        text = _utf8(_content(request), "content")
        _checked({".gitlab-ci.yml": text}, request, limits)
        _check(lambda: load_yaml_documents(text, ".gitlab-ci.yml"), "content")
        return {".gitlab-ci.yml": text}
    raise ApiError(400, "unknown_type", f"type {kind!r} is not one of: {', '.join(TYPES)}", "type")


def _checked(files: dict[str, bytes], request: ValidateRequest, limits: InputLimits) -> dict[str, bytes]:
    """``files`` once each is within its type's limit (checked before parsing)."""
    for path, content in files.items():
        try:
            limits.check_file(path, content)
        except InputTooLargeError as exc:
            raise too_large(exc, "content" if request.files is None else f"files.{path}") from None
    return files


def _content(request: ValidateRequest) -> str:
    if not request.content:
        raise ApiError(422, "missing_content", f"type {request.type} needs content", "content")
    return request.content


def _utf8(text: str, field: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(
            422, "unparsable_content", "is not valid Unicode text (lone surrogate escapes)", field
        ) from None


def _files(request: ValidateRequest, default_name: str, suffixes: tuple[str, ...]) -> dict[str, bytes]:
    if request.files is None:
        return {default_name: _utf8(_content(request), "content")}
    if not request.files or len(request.files) > MAX_FILES:
        raise ApiError(422, "invalid_files", f"files must hold 1 to {MAX_FILES} files", "files")
    for path in request.files:
        if not path.endswith(suffixes) or path.startswith("/") or ".." in path.split("/"):
            raise ApiError(
                422,
                "invalid_files",
                f"{path!r} must be a relative path ending in {' or '.join(suffixes)}",
                f"files.{path}",
            )
    return {path: _utf8(text, f"files.{path}") for path, text in request.files.items()}


def _decode_base64(text: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(
            400, "invalid_base64", "content is not valid base64 (of `terraform show -json` output)", "content"
        ) from None


def _check(parse: Any, field: str) -> Any:
    try:
        return parse()
    except UnreadableInputError as problem:
        raise ApiError(422, "unparsable_content", f"{problem.field} {problem.problem}", field) from None
    except UnicodeDecodeError:
        raise ApiError(422, "unparsable_content", "is not UTF-8 text", field) from None
