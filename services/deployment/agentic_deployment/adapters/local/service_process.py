"""Start a deployed service: uvicorn from its own venv, in its own process group, logging to service.log."""

from __future__ import annotations

import os
import subprocess

from agentic_deployment.adapters.local.state_file import DeploymentDir

PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")  # nothing else of the worker's environment


def service_env(layout: DeploymentDir, port: int, version: str, environment: str) -> dict[str, str]:
    """A small environment: the service never sees the worker's credentials or settings."""
    env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    return env | {
        "PATH": f"{layout.venv / 'bin'}{os.pathsep}{env.get('PATH', os.defpath)}",
        "VIRTUAL_ENV": str(layout.venv),
        "PYTHONUNBUFFERED": "1",
        "PORT": str(port),
        "SERVICE_VERSION": version,
        "ENVIRONMENT": environment,
    }


def spawn_service(
    layout: DeploymentDir,
    port: int,
    version: str,
    environment: str,
    *,
    command: list[str],
    extra_env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``command`` in src/ (the start argv from the service's manifest)."""
    env = service_env(layout, port, version, environment) | (extra_env or {})
    with layout.service_log.open("wb") as service_log:
        return subprocess.Popen(
            command,
            cwd=layout.src,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=service_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
