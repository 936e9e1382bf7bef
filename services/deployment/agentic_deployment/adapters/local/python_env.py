"""A deployment's Python environment, built with uv from the repository's requirements.txt.

Environments are shared, read-only, by content: ``<home>/python-envs/<key>`` where the key hashes the
interpreter (version and path) and the exact bytes of requirements.txt. The first deployment with those
requirements builds it in a ``.build-*`` directory of its own, compiles its bytecode, and renames it into
place; a deployment's ``venv`` is then a symlink to it, and its own code stays in its ``src/``. Only a
completed rename counts: a failed build's directory is removed, a crashed one's is left and never used.
Two deployments building the same key at once both build; the second rename fails and that one uses the
first's environment (same content). Nothing modifies an environment once in place, so sharing it is as
isolated as a copy; it saves each deployment the install and its service's first start compiling its
dependencies. ``rm -rf <home>/python-envs`` clears them (a running service keeps its open files).

The install first resolves from uv's cache alone (``--offline``): a service whose requirements were
installed before needs no index, and revalidating every cached index page with the index took most of
the install (0.8 s of 0.9 s for the generated FastAPI service). Only when the cache lacks something does
the install run again against the index, so a new pin still installs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import uuid
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


def env_key(requirements: bytes) -> str:
    """The interpreter and the exact requirements: equal keys mean equal environments."""
    identity = f"{sys.version}\0{sys.executable}\0".encode() + requirements
    return hashlib.sha256(identity).hexdigest()[:32]


def _ready(env: Path) -> bool:
    """An environment in place (only a completed build is ever renamed there)."""
    return (env / "bin" / "python").exists()


def _build(
    uv: str, requirements: Path, final: Path, *, log: BinaryIO, layout: DeploymentDir, deadline: Deadline
) -> None:
    """Build in a private directory, then rename it to ``final`` (or leave the one already there)."""
    building = final.parent / f".build-{final.name}-{uuid.uuid4().hex[:8]}"
    try:
        _run([uv, "venv", str(building), "--python", sys.executable, "--relocatable"], log, layout, deadline)
        python = building / "bin" / "python"
        install = [
            uv,
            "pip",
            "install",
            "--compile-bytecode",
            "--python",
            str(python),
            "-r",
            str(requirements),
        ]
        _run(install, log, layout, deadline, cached_first=True)
        try:
            os.rename(building, final)
        except OSError:
            if not _ready(final):
                raise
            log.write(b"# another deployment built the same environment first: using it\n")
    finally:
        shutil.rmtree(building, ignore_errors=True)


def prepare_env(uv: str, layout: DeploymentDir, deadline: Deadline) -> Path:
    """Link ``layout.venv`` to the shared environment for ``src/requirements.txt``; returns its python."""
    requirements = layout.src / "requirements.txt"
    if not requirements.is_file():
        raise DeployError(
            "the repository has no requirements.txt at its root: the local target installs the "
            "service from it",
            retryable=False,
        )
    envs = layout.shared_python_envs
    envs.mkdir(parents=True, exist_ok=True)
    final = envs / env_key(requirements.read_bytes())
    with layout.install_log.open("wb") as log:
        if _ready(final):
            log.write(f"# reusing the environment {final} (same interpreter and requirements)\n".encode())
        else:
            _build(uv, requirements, final, log=log, layout=layout, deadline=deadline)
    layout.venv.symlink_to(final, target_is_directory=True)
    return layout.python
