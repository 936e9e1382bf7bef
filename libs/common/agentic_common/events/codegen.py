"""Events and task outputs the codegen service owns."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from agentic_common.events.artifacts import ArtifactRef
from agentic_common.events.envelope import EventDetail


class CodegenOutputs(BaseModel):
    """What a successful ``codegen`` task reports; downstream tasks parse it from ``upstream``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    service_name: str
    repo_url: str
    commit: str
    branch: str
    artifact: ArtifactRef
    files: int


class CodegenCompleted(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "codegen.completed"
    SOURCE_SERVICE: ClassVar[str] = "codegen"

    outputs: CodegenOutputs
