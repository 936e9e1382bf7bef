"""Events and task outputs the deployment service owns."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from agentic_common.events.envelope import EventDetail


class DeploymentOutputs(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    deployment_id: str
    service_name: str
    environment: str
    version: str = Field(description="The commit that was deployed.")
    url: str
    target: str = Field(description="Which deploy target ran it, e.g. 'local-process'.")
    status: Literal["success"] = "success"
    duration_seconds: float = Field(ge=0)
    strategy: Literal["rolling", "blue-green", "canary"] = "rolling"
    steps: tuple[dict[str, Any], ...] = Field(
        default=(), description="Each release step: traffic share, gate verdict, measurements and evidence."
    )


class DeploymentCompleted(EventDetail):
    DETAIL_TYPE: ClassVar[str] = "deployment.completed"
    SOURCE_SERVICE: ClassVar[str] = "deployment"

    outputs: DeploymentOutputs
