"""Fakes and task builders for the deployment unit tests (a uniquely named module, imported by path)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from agentic_common.events.tasks import TaskCreated
from agentic_deployment.ports import DeployError, DeployRequest, RunningService

from tests.helpers import task_created

COMMIT = "0123456789abcdef0123456789abcdef01234567"
CODEGEN_OUTPUTS: dict[str, Any] = {
    "service_name": "orders-api",
    "repo_url": "file:///srv/git/orders-api.git",
    "commit": COMMIT,
    "branch": "main",
    "artifact": {"bucket": "artifacts", "key": "wf-1/codegen.tar.gz", "sha256": "a" * 64, "size_bytes": 10},
    "files": 12,
}
STARTED_AT = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def deploy_task(**overrides: Any) -> TaskCreated:
    fields: dict[str, Any] = {
        "timeout_seconds": 120,
        "template": "microservice-postgres",
        "parameters": {"serviceName": "orders-api", "environment": "dev"},
        "upstream": {"codegen": CODEGEN_OUTPUTS},
    }
    return task_created("deployment", **(fields | overrides))


@dataclass
class FakeDeployTarget:
    """Answers like a target whose service started at STARTED_AT on port 8123, or raises ``error``."""

    name: str = "fake-target"
    error: DeployError | None = None
    requests: list[DeployRequest] = field(default_factory=list)

    def deploy(self, request: DeployRequest) -> RunningService:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        return RunningService(
            deployment_id=request.deployment_id,
            url="http://127.0.0.1:8123",
            commit=request.commit,
            started_at=STARTED_AT,
            pid=4242,
            port=8123,
        )

    def stop_all(self) -> None:
        return None

    def reap_orphans(self) -> int:
        return 0
