"""What a service line is, written to disk: its proxy's port, the live version and the one before it.

A worker that starts again (after a crash, or after `make up` stopped and started) reads these records
to bring every line back on the same address: the live version is adopted if it still runs healthy,
started again from its install otherwise (``LocalReleaseTarget.recover``).
Files: ``<home>/deployments/lines/<service>--<environment>.json``, written atomically.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from agentic_common.environments.gates import RolloutGate
from agentic_common.events.observability import Slo
from pydantic import BaseModel, ConfigDict, ValidationError

from agentic_deployment.ports import DeployRequest, RunningService, Strategy

log = logging.getLogger(__name__)


class VersionRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    deployment_id: str
    workflow_id: str
    service_name: str
    environment: str
    repo_url: str
    commit: str
    timeout_seconds: int
    strategy: Strategy
    gate: dict[str, Any]
    url: str
    started_at: datetime
    pid: int | None = None
    port: int | None = None

    @classmethod
    def of(cls, label: str, request: DeployRequest, running: RunningService) -> VersionRecord:
        return cls(
            label=label,
            url=running.url,
            started_at=running.started_at,
            pid=running.pid,
            port=running.port,
            deployment_id=request.deployment_id,
            workflow_id=request.workflow_id,
            service_name=request.service_name,
            environment=request.environment,
            repo_url=request.repo_url,
            commit=request.commit,
            timeout_seconds=request.timeout_seconds,
            strategy=request.strategy,
            gate=request.gate.as_dict(),
        )

    def running(self) -> RunningService:
        """The process as it was recorded (it may have stopped since)."""
        return RunningService(self.deployment_id, self.url, self.commit, self.started_at, self.pid, self.port)

    def request(self) -> DeployRequest:
        gate = RolloutGate(slo=Slo.model_validate(self.gate["slo"]), probe_path=str(self.gate["probe_path"]))
        return DeployRequest(
            deployment_id=self.deployment_id,
            workflow_id=self.workflow_id,
            service_name=self.service_name,
            environment=self.environment,
            repo_url=self.repo_url,
            commit=self.commit,
            timeout_seconds=self.timeout_seconds,
            gate=gate,
            strategy=self.strategy,
        )


class LineRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    service: str
    environment: str
    proxy_port: int
    live: VersionRecord | None = None
    previous: VersionRecord | None = None


class LineRecords:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, service: str, environment: str) -> Path:
        return self.root / f"{service}--{environment}.json".replace("/", "_")

    def save(self, record: LineRecord) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self._path(record.service, record.environment)
        partial = path.with_suffix(".tmp")
        partial.write_text(record.model_dump_json(indent=2))
        os.replace(partial, path)

    def load_all(self) -> list[LineRecord]:
        records = []
        for path in sorted(self.root.glob("*.json")):
            try:
                records.append(LineRecord.model_validate_json(path.read_bytes()))
            except (OSError, ValidationError) as exc:
                log.warning("ignoring unreadable service line record %s: %s", path, exc)
        return records
