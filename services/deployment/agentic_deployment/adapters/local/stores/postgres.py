"""One PostgreSQL server for every service the local target runs, and a database and role per service.

The cluster lives in ``<home>/stores/postgresql/data`` (initdb on first use, trust authentication,
loopback only; a worker running as root runs PostgreSQL as the ``postgres`` user, which may not reach
``<home>``: then the cluster is in ``<tmp>/agentic-postgresql-<digest of home>/data``, and its path is
written to ``<home>/stores/postgresql/cluster``); the server listens on a free port recorded next to it
and is started by the first deploy that needs it. Each service gets a role and a database named
after it; a redeploy reuses both, so what the service stored survives its redeploys.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from agentic_deployment.adapters.local.processes import free_port
from agentic_deployment.adapters.local.stores.binaries import locate, postgres_user
from agentic_deployment.ports import DeployError

START_SECONDS = 30.0


class LocalPostgres:
    def __init__(self, home: Path) -> None:
        self.root = home.resolve() / "stores" / "postgresql"
        self._server: subprocess.Popen[bytes] | None = None
        self._port: int | None = None
        self.data = self.root / "data"
        self._adopted = False
        self._lock = threading.Lock()

    def _data(self, as_postgres: dict[str, object]) -> Path:
        if not as_postgres:
            return self.root / "data"
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:12]
        cluster = Path(tempfile.gettempdir()) / f"agentic-postgresql-{digest}"
        cluster.mkdir(mode=0o700, exist_ok=True)
        shutil.chown(cluster, "postgres", "postgres")
        (self.root / "cluster").write_text(f"{cluster / 'data'}\n")
        return cluster / "data"

    def url_for(self, service: str) -> str:
        """The service's own database on the shared server (created on first use)."""
        with self._lock:
            port = self._running_port()
            self._ensure_database(port, service)
        return f"postgresql://{service}@127.0.0.1:{port}/{service}"

    def stop(self) -> None:
        with self._lock:
            server, self._server, self._port = self._server, None, None
            adopted, self._adopted = self._adopted, False
        if adopted:
            self._stop_adopted()
        if server is None:
            return
        if server.poll() is None:
            server.send_signal(signal.SIGINT)  # fast shutdown
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    def _psql(self, port: int, sql: str, database: str = "postgres", **variables: str) -> str | None:
        settings = [f"--variable={name}={value}" for name, value in variables.items()]
        url = f"postgresql://postgres@127.0.0.1:{port}/{database}"
        done = subprocess.run(
            [locate("psql", "postgresql"), url, "-tAq", "-v", "ON_ERROR_STOP=1", *settings],
            input=sql,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        return done.stdout.strip() if done.returncode == 0 else None

    def _stop_adopted(self) -> None:
        """Stop a server an earlier worker started (its pid is the first line of postmaster.pid)."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGINT)

    def _adopt(self) -> int | None:
        """The server an earlier worker started and left running (a worker restart), if it answers."""
        try:
            port = int((self.root / "port").read_text())
        except (OSError, ValueError):
            return None
        return port if self._psql(port, "SELECT 1") == "1" else None

    def _running_port(self) -> int:
        if self._port is not None and (self._server is None or self._server.poll() is None):
            return self._port
        if (adopted := self._adopt()) is not None:
            self.data = self._data(postgres_user())
            self._port, self._adopted = adopted, True
            return adopted
        initdb, postgres = locate("initdb", "postgresql"), locate("postgres", "postgresql")
        as_postgres = postgres_user()
        self.root.mkdir(parents=True, exist_ok=True)
        self.data = self._data(as_postgres)
        if not (self.data / "PG_VERSION").is_file():
            self._initdb(initdb, as_postgres)
        port = free_port()
        command = [postgres, "-D", str(self.data), "-p", str(port), "-h", "127.0.0.1", "-k", ""]  # TCP only
        with (self.root / "server.log").open("ab") as log:
            server = subprocess.Popen(
                command,
                cwd=self.data,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **as_postgres,
            )
        deadline = time.monotonic() + START_SECONDS
        while self._psql(port, "SELECT 1") != "1":
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise DeployError(
                    f"the local PostgreSQL server did not start on port {port}: "
                    f"see {self.root / 'server.log'}"
                )
            time.sleep(0.2)
        self._server, self._port = server, port
        (self.root / "port").write_text(f"{port}\n")
        return port

    def _initdb(self, initdb: str, as_postgres: dict[str, object]) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        self.data.mkdir(parents=True)
        if as_postgres:
            shutil.chown(self.data, "postgres", "postgres")
        command = [initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync"]
        command += ["-E", "UTF8", "--no-locale"]
        done = subprocess.run(
            command,
            cwd=self.data,
            capture_output=True,
            text=True,
            check=False,
            **as_postgres,  # type: ignore[call-overload]
        )
        if done.returncode != 0:
            raise DeployError(f"initdb of the local PostgreSQL cluster failed: {done.stderr.strip()[-500:]}")

    def _ensure_database(self, port: int, service: str) -> None:
        exists = "SELECT count(*) FROM pg_database WHERE datname = :'name'"
        if self._psql(port, exists, name=service) == "1":
            return
        create = (
            "SELECT format('CREATE ROLE %I LOGIN', :'name') "
            "WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'name') \\gexec\n"
            "SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name') \\gexec\n"
        )
        if self._psql(port, create, name=service) is None:
            raise DeployError(f"could not create the PostgreSQL database and role {service!r} on port {port}")
