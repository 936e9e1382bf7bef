"""The whole platform on one machine: moto (AWS), the topology, and every service as its own process.

Supervised: a child that dies (a service or the local AWS) is restarted after a pause that doubles
(``supervise.RestartRule``), with one line saying why; one that dies more often than the rule allows
stops the stack with a clear message. Durable: the local AWS keeps its state in
``AGENTIC_HOME/aws-state.pickle`` (``moto_state``), so a stop and a start on the same home find every
workflow, approval, deployment, waiver, audit record and dead-lettered message again. One stack per
home (``stack_lock``): a second start refuses and touches nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import IO

from agentic_common.aws import AwsClients
from agentic_common.topology import ALERTMANAGER_WEBHOOK, default_topology

from agentic_local.auth import LOCAL_DEVELOPER, ensure_signing_key
from agentic_local.moto_server import MOTO_CREDENTIALS, MotoServer, die_with_parent, free_port, wait_for_http
from agentic_local.provision import provision
from agentic_local.settings import LocalSettings
from agentic_local.shared_secrets import seed_shared_secrets, token_path
from agentic_local.stack_lock import StackLock, StackRunningError
from agentic_local.supervise import RestartHistory, RestartRule, describe_exit

SERVICES = ("planner-api", "planner", "codegen", "policy", "deployment", "observability", "remediation")
AWS = "moto"
__all__ = ["SERVICES", "LocalStack", "ServiceExitedError", "StackRunningError"]


class ServiceExitedError(RuntimeError):
    pass


@dataclass
class Pending:
    """A child that died and waits for its restart."""

    due: float
    code: int


class LocalStack:
    def __init__(
        self, settings: LocalSettings, console: IO[str] | None = None, services: tuple[str, ...] = SERVICES
    ) -> None:
        self.settings = settings
        self.services = services
        self.home = settings.agentic_home.resolve()
        self.logs = self.home / "logs"
        self.console = console or sys.stdout
        self.moto: MotoServer | None = None
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.api_url = f"http://127.0.0.1:{settings.agentic_api_port}"
        self.lock = StackLock(self.home)
        rule = RestartRule(settings.agentic_max_restarts, settings.agentic_restart_window_seconds)
        self.history = {name: RestartHistory(rule) for name in (AWS, *services)}
        self._pending: dict[str, Pending] = {}

    def _say(self, line: str) -> None:
        self.console.write(line + "\n")
        self.console.flush()

    def _child_env(self) -> dict[str, str]:
        assert self.moto is not None
        env = dict(os.environ)
        env.update(
            AGENTIC_HOME=str(self.home),
            AGENTIC_ENV=self.settings.agentic_env,
            AGENTIC_API_PORT=str(self.settings.agentic_api_port),
            AGENTIC_API_URL=self.api_url,  # notifications link the full record here
            AWS_ENDPOINT_URL=self.moto.url,
            **MOTO_CREDENTIALS,
            AWS_DEFAULT_REGION=self.settings.aws_region,
            PYTHONUNBUFFERED="1",
        )
        # locally the `agentic token` identity may decide approvals, unless set otherwise
        env.setdefault("AGENTIC_APPROVERS", LOCAL_DEVELOPER)
        # the planner's sweep runs beside its events here: it reads the due index when a time it wrote
        # falls due, and otherwise every 10 minutes (docs/decisions/0017)
        env.setdefault("AGENTIC_SWEEP_IDLE_SECONDS", "600")
        env.pop("AWS_PROFILE", None)
        env.pop("AWS_SESSION_TOKEN", None)
        return env

    def start(self) -> LocalStack:
        """Start everything; raises StackRunningError, having touched nothing, if the home is in use."""
        self.lock.acquire()
        self.logs.mkdir(parents=True, exist_ok=True)
        ensure_signing_key(self.home)
        self.moto = MotoServer(
            port=self.settings.agentic_aws_port or free_port(),
            log_file=self.logs / "moto.log",
            state_file=self.home / "aws-state.pickle",
            snapshot_seconds=self.settings.agentic_aws_snapshot_seconds,
        )
        restoring = self.moto.state_file is not None and self.moto.state_file.exists()
        self._start_aws()
        self._say(f"local AWS (moto) on {self.moto.url}" + (", state read back" if restoring else ""))
        self._say("topology provisioned: bus, rules, queues + DLQs, tables, buckets")
        for name in self.services:
            self._spawn(name)
        if "planner-api" in self.services:
            self._wait_for_api()
        (self.home / "stack.json").write_text(
            json.dumps(
                {
                    "api_url": self.api_url,
                    "aws_endpoint_url": self.moto.url,
                    "env": self.settings.agentic_env,
                    "region": self.settings.aws_region,
                    "pid": os.getpid(),
                }
            )
        )
        return self

    def _wait_for_api(self) -> None:
        """Until the API answers /health, supervising meanwhile: a child that keeps dying while the
        stack starts (an import error, say) ends the start with its log named, not a long silence."""
        started = time.monotonic()
        deadline = started + self.settings.agentic_start_timeout_seconds
        while True:
            try:
                wait_for_http(f"{self.api_url}/health", timeout=1)
                return
            except TimeoutError:
                self.check()
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"the API did not answer {self.api_url}/health within "
                        f"{deadline - started:.0f} s; see {self.logs}/planner-api.log"
                    ) from None

    def _start_aws(self) -> None:
        """(Re)start the local AWS on its port with its state file, then provision (idempotent) and seed."""
        assert self.moto is not None
        self.moto.start(timeout=self.settings.agentic_start_timeout_seconds)
        os.environ.update(MOTO_CREDENTIALS)
        settings = self.settings.model_copy(update={"aws_endpoint_url": self.moto.url})
        clients = AwsClients(settings)
        provision(default_topology(), settings, clients)
        seed_shared_secrets(
            default_topology(), settings.resource_prefix, self.home, clients.client("secretsmanager")
        )

    def _spawn(self, name: str) -> None:
        with (self.logs / f"{name}.log").open("ab") as log:
            self.children[name] = subprocess.Popen(
                [sys.executable, "-m", "agentic_local.serve", name],
                env=self._child_env(),
                stderr=log,
                cwd=self.home.parent,
                preexec_fn=die_with_parent(),  # noqa: PLW1509 - a killed stack leaves no child behind
            )

    def banner(self) -> str:
        return (
            f"\nAgentic DevOps is running.\n"
            f"  API:     {self.api_url}  (OpenAPI: {self.api_url}/openapi.json)\n"
            f"  Token:   .venv/bin/agentic token   (or: TOKEN=$(.venv/bin/agentic token))\n"
            f"  Alertmanager: POST {self.api_url}/alerts/alertmanager with 'Authorization: Bearer' and the "
            f"secret in {token_path(self.home, ALERTMANAGER_WEBHOOK)}\n"
            f"  Try:     .venv/bin/agentic workflow create --template microservice-rest-api "
            f"--param serviceName=hello-api --param language=python --param environment=dev --wait\n"
            f"  Logs:    {self.logs}/\n  State:   {self.home} (kept between starts)\n"
            f"  Press Ctrl-C to stop everything.\n"
        )

    def _processes(self) -> dict[str, subprocess.Popen[bytes] | None]:
        return {AWS: self.moto.process if self.moto else None, **self.children}

    def check(self, now: float | None = None) -> None:
        """One round of supervision: note who died, restart who is due; raises ServiceExitedError when a
        child died more often than the restart rule allows."""
        now = time.monotonic() if now is None else now
        for name, child in self._processes().items():
            if name in self._pending or child is None or child.poll() is None:
                continue
            self._on_exit(name, child.returncode, now)
        for name, pending in list(self._pending.items()):
            if now >= pending.due:
                del self._pending[name]
                try:
                    self._restart(name)
                except TimeoutError as exc:  # it did not come back: that counts as dying again
                    self._say(f"{name} did not come back: {exc}")
                    self._on_exit(name, pending.code, now)

    def _on_exit(self, name: str, code: int, now: float) -> None:
        history = self.history[name]
        pause = history.on_exit(now)
        log = f"{self.logs}/{name}.log"
        if pause is None:
            rule = history.rule
            raise ServiceExitedError(
                f"{name} exited ({describe_exit(code)}) after {rule.max_restarts} restarts within "
                f"{rule.window_seconds:.0f} s; stopping the stack. See {log}"
            )
        self._say(
            f"{name} exited ({describe_exit(code)}); restart {history.recent} of at most "
            f"{history.rule.max_restarts} within {history.rule.window_seconds:.0f} s, in {pause:.1f} s "
            f"({history.total} restart(s) so far; see {log})"
        )
        self._pending[name] = Pending(now + pause, code)

    def _restart(self, name: str) -> None:
        if name == AWS:
            self._start_aws()
        else:
            self._spawn(name)
        self._say(f"{name} restarted")

    def wait(self, stop: threading.Event | None = None) -> None:
        """Supervise until ``stop`` is set (Ctrl-C raises KeyboardInterrupt out of it)."""
        stop = stop or threading.Event()
        while not stop.wait(0.5):
            self.check()

    def stop(self) -> None:
        """Stop what this stack started and let the local AWS write its state; nothing if it never
        got the home (a second start that was refused)."""
        if not self.lock.held:
            return
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not abandon the children
                signal.signal(sig, signal.SIG_IGN)
        for child in reversed(list(self.children.values())):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for child in self.children.values():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if self.moto:
            self.moto.stop()  # after the services: the state it writes is the last one
        (self.home / "stack.json").unlink(missing_ok=True)
        self.lock.release()
        self._say("stopped every process the stack started; the state is kept in " + str(self.home))
