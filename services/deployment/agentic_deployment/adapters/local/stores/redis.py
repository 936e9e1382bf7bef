"""A Redis server per service the local target runs, in ``<home>/stores/redis/<service>``.

Started by the first deploy of the service, on a free loopback port (recorded in the folder), with an
append-only file: a redeploy reuses the running server (also one an earlier worker left running), and
a restarted server reloads what the service stored.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from agentic_deployment.adapters.local.processes import free_port, stop_group
from agentic_deployment.adapters.local.stores.binaries import locate
from agentic_deployment.ports import DeployError

START_SECONDS = 20.0


def pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class LocalRedis:
    def __init__(self, home: Path) -> None:
        self.root = home.resolve() / "stores" / "redis"
        self._servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
        self._adopted: dict[str, int] = {}  # service → pid of a server an earlier worker started
        self._lock = threading.Lock()

    def url_for(self, service: str) -> str:
        with self._lock:
            known = self._servers.get(service)
            if known is not None and known[0].poll() is None and pong(known[1]):
                return f"redis://127.0.0.1:{known[1]}/0"
            port = self._adopt(service) or self._start(service)
        return f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        with self._lock:
            servers, self._servers = list(self._servers.values()), {}
            adopted, self._adopted = list(self._adopted.values()), {}
        stops = [(server.pid, server) for server, _ in servers] + [(pid, None) for pid in adopted]
        if stops:  # side by side: one server's grace period must not hold up the next one's stop
            with ThreadPoolExecutor(max_workers=min(len(stops), 32), thread_name_prefix="redis-stop") as pool:
                list(pool.map(lambda stop: stop_group(stop[0], 10.0, stop[1]), stops))

    def _adopt(self, service: str) -> int | None:
        """A server an earlier worker started for the service and left running, if it answers."""
        try:
            port, pid = (int(value) for value in (self.root / service / "port").read_text().split())
        except (OSError, ValueError):
            return None
        if not pong(port):
            return None
        self._adopted[service] = pid
        return port

    def _start(self, service: str) -> int:
        binary = locate("redis-server", "redis")
        folder = self.root / service
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
        command += ["--save", "", "--appendonly", "yes"]
        with (folder / "server.log").open("ab") as log:
            server = subprocess.Popen(
                command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + START_SECONDS
        while not pong(port):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise DeployError(f"the Redis server of {service} did not start: see {folder / 'server.log'}")
            time.sleep(0.1)
        self._servers[service] = (server, port)
        (folder / "port").write_text(f"{port} {server.pid}\n")
        return port
