"""Events and task outputs the codegen service owns."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from agentic_common.events.artifacts import ArtifactRef
from agentic_common.events.envelope import EventDetail


class UpgradeReport(BaseModel):
    """What a ``codegen.upgrade`` did to each file of the existing repository."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    from_version: str
    to_version: str
    kept: list[str]
    updated: list[str]
    added: list[str]
    removed: list[str]


class CustomisationReport(BaseModel):
    """Whether Claude's proposed extra resources were applied, skipped (no API key) or rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Literal["applied", "skipped", "rejected"]
    reason: str
    resources: list[str] = []


class CodegenOutputs(BaseModel):
    """What a successful ``codegen`` task reports; downstream tasks parse it from ``upstream``.

    ``branch``/``commit`` are where the change is: the default branch for a new repository, the merge
    request's source branch when the repository already had content (then ``merge_request_*`` are set).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    service_name: str
    repo_url: str
    commit: str
    branch: str
    artifact: ArtifactRef
    files: int
    merge_request_iid: int | None = None
    merge_request_url: str | None = None
    upgrade: UpgradeReport | None = None
    customisation: CustomisationReport | None = None


class CodegenCompleted(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "codegen.completed"
    SOURCE_SERVICE: ClassVar[str] = "codegen"

    outputs: CodegenOutputs
