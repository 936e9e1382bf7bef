"""The local deploy target: clone the commit, install it, run it, health-check it.

How to install and start the service comes from its ``.agentic/service.json`` (Python, Node and Go
run here; Go modules and build results are cached in ``go_cache``, shared by every deploy); without the
file it is a Python service run with uvicorn, as before. The same commit is installed once: restarting
it reuses the install.

Each deployment lives in <home>/deployments/<deployment_id>/. Its state file names the process and
the worker that started it, so a redelivered task finds a service that already runs, and a worker
that starts after a crash stops what its dead predecessor left behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from agentic_checks import toolchain

from agentic_deployment.adapters.git_checkout import checkout
from agentic_deployment.adapters.local import processes
from agentic_deployment.adapters.local.install import install, installed_commit
from agentic_deployment.adapters.local.logtail import tail
from agentic_deployment.adapters.local.service_manifest import ServiceManifest, read_manifest
from agentic_deployment.adapters.local.service_process import spawn_service
from agentic_deployment.adapters.local.state_file import (
    DeploymentDir,
    DeploymentState,
    read_state,
    write_state,
)
from agentic_deployment.adapters.local.stores.provision import LocalStores
from agentic_deployment.logic.polling import Deadline
from agentic_deployment.ports import DeployError, DeployRequest, RunningService

log = logging.getLogger(__name__)


def _worker_alive(state: DeploymentState) -> bool:
    """The worker that wrote the state still runs (same pid and, where known, the same start time)."""
    if not processes.pid_alive(state.worker_pid):
        return False
    return state.worker_started is None or processes.process_started(state.worker_pid) == state.worker_started


class LocalProcessTarget:
    name = "local-process"

    def __init__(
        self,
        home: Path,
        uv: str,
        stop_grace_seconds: float = 5.0,
        go_cache: Path | None = None,
        stores: LocalStores | None = None,
    ) -> None:
        self._root = home.resolve() / "deployments"
        self._stores = stores
        self._uv = uv
        self._go_cache = go_cache or toolchain.go_cache()
        self._grace = stop_grace_seconds
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._adopted: dict[str, int] = {}  # deployment id → pid of a process an earlier worker started
        self._lock = threading.Lock()

    def deploy(self, request: DeployRequest) -> RunningService:
        deadline = Deadline.after(request.timeout_seconds)
        layout = DeploymentDir(self._root / request.deployment_id)
        running = self._still_running(layout, request)
        if running is not None:
            log.info(
                "deployment %s already runs healthy (pid %s): reusing it", request.deployment_id, running.pid
            )
            return running
        self._stop(request.deployment_id)
        if installed_commit(layout) != request.commit:
            shutil.rmtree(layout.root, ignore_errors=True)
            layout.root.mkdir(parents=True)
            checkout(request.repo_url, request.commit, layout.src, deadline)
            manifest = read_manifest(layout.src)
            install(self._uv, manifest, layout, request.commit, deadline, go_cache=self._go_cache)
        return self._start(layout, request, read_manifest(layout.src), deadline)

    @property
    def root(self) -> Path:
        return self._root

    def stop(self, deployment_id: str) -> None:
        """Stop one deployment's process (its checkout and install stay, for a restart or rollback)."""
        self._stop(deployment_id)

    def stop_all(self) -> None:
        """Stop every service at once (each has its grace period, side by side), then the stores.

        One after another, many services' grace periods outlast the deadline the worker itself is
        stopped by, and a worker killed before it reaches its stores leaks their servers.
        """
        with self._lock:
            ids = [*self._children, *self._adopted]
        try:
            if ids:
                with ThreadPoolExecutor(max_workers=min(len(ids), 32), thread_name_prefix="stop") as pool:
                    list(pool.map(self._stop, ids))
        finally:
            if self._stores is not None:
                self._stores.stop()

    def adopt(self, request: DeployRequest) -> RunningService | None:
        """Take over ``request``'s process if an earlier worker left it running healthy (a worker
        restart): its state names this worker from now on, and stopping it stops it by pid."""
        layout = DeploymentDir(self._root / request.deployment_id)
        state = read_state(layout.state_file)
        if state is None or state.commit != request.commit:
            return None
        if not (processes.pid_alive(state.pid) and processes.runs_from(state.pid, state.venv)):
            return None
        if not processes.health_ok(state.url, read_manifest(layout.src).health):
            return None
        me = os.getpid()
        write_state(
            layout.state_file,
            state.model_copy(update={"worker_pid": me, "worker_started": processes.process_started(me)}),
        )
        with self._lock:
            self._adopted[request.deployment_id] = state.pid
        log.info("adopted %s (pid %d) left running by an earlier worker", request.deployment_id, state.pid)
        return state.running()

    def reap_orphans(self) -> int:
        reaped = 0
        for path in sorted(self._root.glob("*/state.json")):
            state = read_state(path)
            if state is None or _worker_alive(state):
                continue  # its worker still runs: it owns the process
            if processes.pid_alive(state.pid) and processes.runs_from(state.pid, state.venv):
                log.warning(
                    "stopping %s (pid %d), left running by a worker that is gone",
                    state.deployment_id,
                    state.pid,
                )
                processes.stop_group(state.pid, self._grace)
                reaped += 1
            path.unlink(missing_ok=True)
        return reaped

    def _still_running(self, layout: DeploymentDir, request: DeployRequest) -> RunningService | None:
        state = read_state(layout.state_file)
        if state is None:
            return None
        ours = processes.pid_alive(state.pid) and processes.runs_from(state.pid, state.venv)
        health = read_manifest(layout.src).health if ours else "/health"
        if ours and state.commit == request.commit and processes.health_ok(state.url, health):
            return state.running()
        owned = request.deployment_id in self._children or request.deployment_id in self._adopted
        if ours and not owned:
            processes.stop_group(state.pid, self._grace)  # alive but not healthy: replace it
        return None

    def _start(
        self, layout: DeploymentDir, request: DeployRequest, manifest: ServiceManifest, deadline: Deadline
    ) -> RunningService:
        store_env = self._store_env(manifest, request)
        port = processes.free_port()
        url = f"http://127.0.0.1:{port}"
        child = self._spawn(layout, request, port, manifest, store_env)
        state = DeploymentState(
            deployment_id=request.deployment_id,
            pid=child.pid,
            port=port,
            url=url,
            commit=request.commit,
            venv=str(layout.venv if manifest.language == "python" else layout.src),
            started_at=datetime.now(UTC),
            worker_pid=os.getpid(),
            worker_started=processes.process_started(os.getpid()),
        )
        write_state(layout.state_file, state)
        outcome = processes.wait_until_healthy(url, child, deadline, manifest.health)
        if outcome == "healthy":
            self._verify_store(url, manifest, store_env, request)
            log.info("deployment %s runs at %s (pid %d)", request.deployment_id, url, child.pid)
            return state.running()
        self._stop(request.deployment_id)
        problem = (
            f"the process exited with code {child.returncode}"
            if outcome == "exited"
            else f"{manifest.health} did not answer 200 within {request.timeout_seconds}s"
        )
        raise DeployError(
            f"{request.service_name} (commit {request.commit[:12]}) did not start: {problem}. Fix the app so "
            f"that `{' '.join(manifest.start)}` starts and GET {manifest.health} answers 200, then retry. "
            f"Last lines of {layout.service_log}:\n{tail(layout.service_log)}",
            evidence={"deployment_id": request.deployment_id, "log": str(layout.service_log)},
        )

    def _store_env(self, manifest: ServiceManifest, request: DeployRequest) -> dict[str, str]:
        """Provision what the service declares; a declared store is never left to become memory."""
        if manifest.database == "none" and manifest.pattern != "event":
            return {}
        if self._stores is None:
            raise DeployError(
                f"{request.service_name} declares the store {manifest.database!r} (pattern "
                f"{manifest.pattern}) but this local target was built without store provisioning",
                retryable=False,
            )
        return self._stores.provision(manifest, request.service_name, request.environment)

    def _verify_store(
        self, url: str, manifest: ServiceManifest, store_env: dict[str, str], request: DeployRequest
    ) -> None:
        if self._stores is None or not manifest.declares_store:
            return  # a hand-written service with no store and no probe: /health is all it promises
        try:
            checked = self._stores.verify(url, manifest, store_env)
        except DeployError:
            self._stop(request.deployment_id)
            raise
        log.info("deployment %s: %s", request.deployment_id, checked)

    def _spawn(
        self,
        layout: DeploymentDir,
        request: DeployRequest,
        port: int,
        manifest: ServiceManifest,
        store_env: dict[str, str],
    ) -> subprocess.Popen[bytes]:
        command = manifest.start_argv(port, layout.python)
        child = spawn_service(
            layout,
            port,
            request.commit[:12],
            request.environment,
            command=command,
            extra_env=store_env | {manifest.port_env: str(port)},
        )
        with self._lock:
            self._children[request.deployment_id] = child
        return child

    def _stop(self, deployment_id: str) -> None:
        with self._lock:
            child = self._children.pop(deployment_id, None)
            adopted = self._adopted.pop(deployment_id, None)
        if child is not None:
            processes.stop_group(child.pid, self._grace, child)
        elif adopted is not None:
            processes.stop_group(adopted, self._grace)
        else:
            return
        (self._root / deployment_id / "state.json").unlink(missing_ok=True)
