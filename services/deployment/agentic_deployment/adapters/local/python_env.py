"""A virtualenv per deployment, built with uv from the repository's requirements.txt.

The install first resolves from uv's cache alone (``--offline``): a service whose requirements were
installed before needs no index, and revalidating every cached index page with the index took most of
the install (0.8 s of 0.9 s for the generated FastAPI service). Only when the cache lacks something does
the install run again against the index, so a new pin still installs.
"""

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


def _run(
    command: list[str],
    log: BinaryIO,
    layout: DeploymentDir,
    deadline: Deadline,
    *,
    cached_first: bool = False,
) -> None:
    if cached_first:
        if run_logged([*command, "--offline"], layout.root, log, deadline) == 0:
            return
        log.write(b"# not everything is in uv's cache: installing again with the package index\n")
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
            cached_first=True,
        )
    return layout.python
