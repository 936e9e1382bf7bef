"""Throwaway PostgreSQL 15 and Redis servers on free loopback ports, started and stopped by the test.

The binaries come from ``tests/tools.py`` (``make tools`` installs them); when one is missing, starting
the server raises ToolNotFoundError with the install command, so the test fails instead of doing less.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from agentic_local.moto_server import free_port

from tests.tools import ToolNotFoundError, locate

T = TypeVar("T")
_QUIET: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def wait_until(probe: Callable[[], T | None], seconds: float = 20) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (value := probe()) is not None:
            return value
        time.sleep(0.25)
    raise AssertionError(f"nothing came within {seconds} s")


def _stop(server: subprocess.Popen[bytes], stop_signal: int) -> None:
    server.send_signal(stop_signal)
    try:
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _postgres_user() -> dict[str, Any]:
    """PostgreSQL refuses to run as root: then it runs as the "postgres" user the package created."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ToolNotFoundError(
            "PostgreSQL refuses to run as root and this machine has no postgres user to run it as: "
            "run `apt-get install -y --no-install-recommends postgresql-15` (it creates the user)"
        ) from None
    return {"user": "postgres", "group": "postgres", "extra_groups": []}


def psql(url: str, query: str, **variables: str) -> str:
    """psql's unaligned output for one query ('' on failure); values travel as psql variables."""
    settings = [f"--variable={name}={value}" for name, value in variables.items()]
    done = subprocess.run(
        [str(locate("psql")), url, "-tAq", *settings],
        input=query,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else ""


@contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server in a fresh data directory; yields its URL (user ``app``, trust auth)."""
    initdb, postgres, as_postgres = locate("initdb"), locate("postgres"), _postgres_user()
    data = Path(tempfile.mkdtemp(prefix="agentic-pg-"))
    try:
        if as_postgres:
            shutil.chown(data, "postgres", "postgres")
        init = [str(initdb), "-D", str(data), "-U", "app", "-A", "trust", "--no-sync"]
        init += ["-E", "UTF8", "--no-locale"]  # whatever locales this machine has generated
        done = subprocess.run(init, capture_output=True, text=True, check=False, cwd=data, **as_postgres)
        assert done.returncode == 0, done.stderr
        port = free_port()
        command = [str(postgres), "-D", str(data), "-p", str(port), "-h", "127.0.0.1", "-k", str(data)]
        server = subprocess.Popen(command, cwd=data, **_QUIET, **as_postgres)
        url = f"postgresql://app@127.0.0.1:{port}/postgres"
        try:
            wait_until(lambda: psql(url, "SELECT 1") or None, seconds=30)
            yield url
        finally:
            _stop(server, signal.SIGINT)  # PostgreSQL's fast shutdown
    finally:
        shutil.rmtree(data, ignore_errors=True)


def redis_cli(url: str, *args: str) -> str:
    """redis-cli's answer to one command ('' on failure)."""
    done = subprocess.run(
        [str(locate("redis-cli")), "-u", url, *args], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else ""


@contextmanager
def redis_server() -> Iterator[str]:
    """A Redis server that keeps nothing on disk; yields its URL."""
    binary = locate("redis-server")
    data = Path(tempfile.mkdtemp(prefix="agentic-redis-"))
    port = free_port()
    command = [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data)]
    server = subprocess.Popen([*command, "--save", "", "--appendonly", "no"], cwd=data, **_QUIET)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_until(lambda: redis_cli(url, "PING") == "PONG" or None, seconds=30)
        yield url
    finally:
        _stop(server, signal.SIGTERM)
        shutil.rmtree(data, ignore_errors=True)
