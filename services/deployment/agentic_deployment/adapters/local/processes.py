"""Process supervision helpers for the local target: liveness, identity, health, stopping a group.

Linux: liveness and identity come from /proc (a zombie counts as gone; a pid is identified by its
start time, so a reused pid is not taken for the process that had it before).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import BinaryIO, Literal
from urllib.parse import urlsplit

import httpx

from agentic_deployment.logic.polling import Deadline

POLL_SECONDS = 0.02  # a refused connect costs a syscall, so the wait for the port can be this short
HEALTH_RETRY_SECONDS = 0.05  # listening but not healthy yet: each GET costs the service a request
HealthOutcome = Literal["healthy", "exited", "timeout"]


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state is [0], start time is [19])."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def pid_alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in {"Z", "X"}


def process_started(pid: int) -> str | None:
    """When the process started (clock ticks since boot): with the pid, it names one process."""
    fields = _stat_fields(pid)
    return fields[19] if fields else None


def cmdline_contains(pid: int, text: str) -> bool:
    try:
        return text in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False


def runs_from(pid: int, path: str) -> bool:
    """The process mentions ``path`` in its command line or works in it (how its deployment knows it)."""
    if cmdline_contains(pid, path):
        return True
    try:
        return os.readlink(f"/proc/{pid}/cwd") == path
    except OSError:
        return False


def _leads_group(pid: int) -> bool:
    try:
        return os.getpgid(pid) == pid
    except ProcessLookupError:
        return False


def _signal(pid: int, sig: signal.Signals, group: bool) -> None:
    try:
        if group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _wait_gone(pid: int, seconds: float, child: subprocess.Popen[bytes] | None) -> bool:
    if child is not None:
        try:
            child.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True
    deadline = Deadline.after(seconds)
    while pid_alive(pid):
        if not deadline.remaining():
            return False
        time.sleep(0.05)
    return True


def stop_group(pid: int, grace_seconds: float, child: subprocess.Popen[bytes] | None = None) -> None:
    """SIGTERM the process group ``pid`` leads, SIGKILL after the grace period. Pass ``child`` to reap it."""
    group = _leads_group(pid)
    _signal(pid, signal.SIGTERM, group)
    if not _wait_gone(pid, grace_seconds, child):
        _signal(pid, signal.SIGKILL, group)
        _wait_gone(pid, grace_seconds, child)
    if group:
        _signal(pid, signal.SIGKILL, group)  # whatever the leader left behind in its group


def run_logged(
    command: list[str], cwd: Path, log: BinaryIO, deadline: Deadline, env: dict[str, str] | None = None
) -> int | None:
    """Run ``command`` to completion, output appended to ``log``; its exit code, or None if time ran out."""
    log.write(f"$ {' '.join(command)}\n".encode())
    log.flush()
    try:
        return subprocess.run(
            command,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=deadline.remaining(),
            check=False,
        ).returncode
    except subprocess.TimeoutExpired:
        return None
    finally:
        log.flush()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def health_ok(url: str, path: str = "/health") -> bool:
    try:
        return httpx.get(f"{url}{path}", timeout=1.0, trust_env=False).status_code == 200
    except httpx.HTTPError:
        return False


def listening(url: str) -> bool:
    """Something accepts connections at ``url``'s host and port (the service has bound its socket)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until_healthy(
    url: str, child: subprocess.Popen[bytes], deadline: Deadline, path: str = "/health"
) -> HealthOutcome:
    """Wait for the port to accept connections (checked every POLL_SECONDS), then for ``path`` to
    answer 200; a process that exits first is "exited", one that runs out of time "timeout"."""
    while True:
        if child.poll() is not None:
            return "exited"
        up = listening(url)
        if up and health_ok(url, path):
            return "healthy"
        if not deadline.remaining():
            return "timeout"
        time.sleep(min(HEALTH_RETRY_SECONDS if up else POLL_SECONDS, deadline.remaining()))
