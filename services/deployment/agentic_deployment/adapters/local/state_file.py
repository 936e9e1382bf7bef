"""The on-disk layout of one local deployment and its state file (what runs, for whom, since when)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agentic_deployment.ports import RunningService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeploymentDir:
    """<home>/deployments/<deployment_id>/ with src/, venv/, install.log, service.log, state.json."""

    root: Path

    @property
    def deployment_id(self) -> str:
        return self.root.name

    @property
    def src(self) -> Path:
        return self.root / "src"

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def shared_python_envs(self) -> Path:
        """<home>/python-envs/: the read-only environments deployments link ``venv`` to, by content."""
        return self.root.parent.parent / "python-envs"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def install_log(self) -> Path:
        return self.root / "install.log"

    @property
    def service_log(self) -> Path:
        return self.root / "service.log"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    @property
    def installed_marker(self) -> Path:
        return self.root / "installed.json"


class DeploymentState(BaseModel):
    """The pid file: enough to find the process again, and to tell whether its worker is gone."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    deployment_id: str
    pid: int
    port: int
    url: str
    commit: str
    venv: str = Field(description="A path the process runs from (its venv, or src/): identifies it in /proc.")
    started_at: datetime
    worker_pid: int
    worker_started: str | None  # the worker's start time (from /proc), so a reused pid is not taken for it

    def running(self) -> RunningService:
        return RunningService(
            deployment_id=self.deployment_id,
            url=self.url,
            commit=self.commit,
            started_at=self.started_at,
            pid=self.pid,
            port=self.port,
        )


def read_state(path: Path) -> DeploymentState | None:
    try:
        return DeploymentState.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValidationError) as exc:
        log.warning("ignoring unreadable deployment state %s: %s", path, exc)
        return None


def write_state(path: Path, state: DeploymentState) -> None:
    """Atomic: a reader sees the old state or the new one, never half of it."""
    partial = path.with_suffix(".tmp")
    partial.write_text(state.model_dump_json(indent=2))
    os.replace(partial, path)
