"""Events and task outputs the policy service owns."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from agentic_common.events.artifacts import ArtifactRef
from agentic_common.events.envelope import EventDetail

Severity = Literal["low", "medium", "high", "critical"]


class Violation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    severity: Severity
    category: str
    message: str
    file: str | None = None
    line: int | None = None
    remediation: str = ""
    resource: str | None = None
    tool: str | None = None
    waiver_id: str | None = None


class PolicyOutputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    artifact_sha256: str
    files_scanned: int
    rules_evaluated: int
    violations: tuple[Violation, ...] = ()
    waived: tuple[Violation, ...] = ()
    environment: str | None = None
    blocking: int = 0
    bundle_version: str | None = None
    decision_id: str | None = None
    report: ArtifactRef | None = None
    report_markdown: ArtifactRef | None = None


class PolicyValidated(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "policy.validated"
    SOURCE_SERVICE: ClassVar[str] = "policy"

    outputs: PolicyOutputs


class PolicyViolated(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "policy.violated"
    SOURCE_SERVICE: ClassVar[str] = "policy"

    outputs: PolicyOutputs
