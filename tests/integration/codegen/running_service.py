"""A generated service's own server process on a free loopback port, for the gate's run tests."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path
from typing import Any

import httpx
from agentic_local.moto_server import free_port

from tests.local_servers import wait_until


class RunningService:
    """``argv`` run in ``repo`` with exactly the environment given (plus its PORT)."""

    def __init__(self, argv: list[str], repo: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            argv,
            cwd=repo,
            env={**env, "PORT": str(self.port)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _health(self) -> bool | None:
        assert self.process.poll() is None, self.process.communicate()
        try:
            return httpx.get(f"{self.url}/health", timeout=1).status_code == 200 or None
        except httpx.TransportError:
            return None

    def wait_healthy(self) -> None:
        wait_until(self._health, seconds=30)

    def terminate(self) -> tuple[int, list[dict[str, Any]]]:
        self.process.send_signal(signal.SIGTERM)
        stdout, _ = self.process.communicate(timeout=20)
        return self.process.returncode, [json.loads(line) for line in stdout.splitlines() if line.strip()]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
