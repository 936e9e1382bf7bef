"""Install a checked-out service once per commit: uv for Python, the manifest's argv for Node and Go.

Go builds with the project's toolchain (``go`` resolves to it first on PATH), its committed go.mod and
go.sum only (``-mod=readonly``), and one module and build cache shared by every deploy (``go_cache``).

An ``installed.json`` marker records what was installed, so starting the same commit again (a restart,
or a rollback to the version before) skips the clone and the install.
"""

from __future__ import annotations

import json
from pathlib import Path

from agentic_checks.toolchain import ToolMissingError, go_env

from agentic_deployment.adapters.local.logtail import tail
from agentic_deployment.adapters.local.processes import run_logged
from agentic_deployment.adapters.local.python_env import prepare_env
from agentic_deployment.adapters.local.service_manifest import ServiceManifest
from agentic_deployment.adapters.local.service_process import service_env
from agentic_deployment.adapters.local.state_file import DeploymentDir
from agentic_deployment.logic.polling import Deadline
from agentic_deployment.ports import DeployError


def installed_commit(layout: DeploymentDir) -> str | None:
    """The commit installed here, or None when there is none or its Python environment is gone (the
    shared environments were cleared: the ``venv`` link dangles, so the install is made again)."""
    try:
        marker = json.loads(layout.installed_marker.read_text())
        commit, language = str(marker["commit"]), marker.get("language")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if language == "python" and not layout.python.exists():
        return None
    return commit


def _install_env(manifest: ServiceManifest, layout: DeploymentDir, go_cache: Path | None) -> dict[str, str]:
    env = service_env(layout, 0, "install", "install")
    if manifest.language != "go" or go_cache is None:
        return env
    try:
        caches: dict[str, str] = go_env(go_cache)
    except ToolMissingError as exc:
        raise DeployError(f"cannot build the Go service: {exc}", retryable=False) from None
    return env | caches


def _run_argv(
    manifest: ServiceManifest, layout: DeploymentDir, deadline: Deadline, go_cache: Path | None
) -> None:
    env = _install_env(manifest, layout, go_cache)
    with layout.install_log.open("wb") as log:
        try:
            code = run_logged(list(manifest.install), layout.src, log, deadline, env)
        except FileNotFoundError:
            raise DeployError(
                f"cannot install the {manifest.language} service: {manifest.install[0]!r} is not "
                "installed on this machine",
                retryable=False,
            ) from None
    if code != 0:
        outcome = "did not finish within the task's time" if code is None else f"exited with code {code}"
        raise DeployError(
            f"installing the {manifest.language} service failed (`{' '.join(manifest.install)}` {outcome}). "
            f"Last lines of {layout.install_log}:\n{tail(layout.install_log)}",
            evidence={"deployment_id": layout.deployment_id, "log": str(layout.install_log)},
        )


def install(
    uv: str,
    manifest: ServiceManifest,
    layout: DeploymentDir,
    commit: str,
    deadline: Deadline,
    *,
    go_cache: Path | None = None,
) -> None:
    if manifest.language == "python":
        prepare_env(uv, layout, deadline)
    else:
        _run_argv(manifest, layout, deadline, go_cache)
    layout.installed_marker.write_text(json.dumps({"commit": commit, "language": manifest.language}))
