"""A virtualenv per deployment, built with uv from the repository's requirements.txt."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import BinaryIO

from agentic_common.settings import SettingsError

from agentic_deployment.adapters.local.logtail import tail
from agentic_deployment.adapters.local.processes import run_logged
from agentic_deployment.adapters.local.state_file import DeploymentDir
from agentic_deployment.logic.polling import Deadline
from agentic_deployment.ports import DeployError


def find_uv() -> str:
    """uv on PATH, else the one installed beside this interpreter (the project venv)."""
    found = shutil.which("uv") or Path(sys.executable).parent / "uv"
    if not Path(found).is_file():
        raise SettingsError(
            "the local deploy target needs uv: install it (it is a project dependency) or put it on PATH"
        )
    return str(found)


def _run(command: list[str], log: BinaryIO, layout: DeploymentDir, deadline: Deadline) -> None:
    code = run_logged(command, layout.root, log, deadline)
    if code == 0:
        return
    outcome = "did not finish within the task's time" if code is None else f"exited with code {code}"
    raise DeployError(
        f"installing the service's Python environment failed (uv {command[1]} {outcome}). Check the pins in "
        f"requirements.txt and that the package index is reachable, then retry. "
        f"Last lines of {layout.install_log}:\n{tail(layout.install_log)}",
        evidence={"deployment_id": layout.deployment_id, "log": str(layout.install_log)},
    )


def prepare_env(uv: str, layout: DeploymentDir, deadline: Deadline) -> Path:
    """Create ``layout.venv`` and install ``src/requirements.txt`` into it; returns its python."""
    requirements = layout.src / "requirements.txt"
    if not requirements.is_file():
        raise DeployError(
            "the repository has no requirements.txt at its root: the local target installs the "
            "service from it",
            retryable=False,
        )
    with layout.install_log.open("wb") as log:
        _run([uv, "venv", str(layout.venv), "--python", sys.executable], log, layout, deadline)
        _run(
            [uv, "pip", "install", "--python", str(layout.python), "-r", str(requirements)],
            log,
            layout,
            deadline,
        )
    return layout.python
