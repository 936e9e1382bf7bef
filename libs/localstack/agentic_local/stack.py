"""The whole platform on one machine: moto (AWS), the topology, and every service as its own process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import IO

from agentic_common.aws import AwsClients
from agentic_common.topology import ALERTMANAGER_WEBHOOK, default_topology

from agentic_local.auth import LOCAL_DEVELOPER, ensure_signing_key
from agentic_local.moto_server import MOTO_CREDENTIALS, MotoServer, free_port, wait_for_http
from agentic_local.provision import provision
from agentic_local.settings import LocalSettings
from agentic_local.shared_secrets import seed_shared_secrets, token_path

SERVICES = ("planner-api", "planner", "codegen", "policy", "deployment", "observability", "remediation")


class ServiceExitedError(RuntimeError):
    pass


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
        env.pop("AWS_PROFILE", None)
        env.pop("AWS_SESSION_TOKEN", None)
        return env

    def start(self) -> LocalStack:
        self.logs.mkdir(parents=True, exist_ok=True)
        ensure_signing_key(self.home)
        port = self.settings.agentic_aws_port or free_port()
        self.moto = MotoServer(port=port, log_file=self.logs / "moto.log").start()
        self._say(f"local AWS (moto) on {self.moto.url}")
        os.environ.update(MOTO_CREDENTIALS)
        settings = self.settings.model_copy(update={"aws_endpoint_url": self.moto.url})
        clients = AwsClients(settings)
        provision(default_topology(), settings, clients)
        self._say("topology provisioned: bus, rules, queues + DLQs, tables, buckets")
        seed_shared_secrets(
            default_topology(), settings.resource_prefix, self.home, clients.client("secretsmanager")
        )
        env = self._child_env()
        for name in self.services:
            log = (self.logs / f"{name}.log").open("ab")
            self.children[name] = subprocess.Popen(
                [sys.executable, "-m", "agentic_local.serve", name], env=env, stderr=log, cwd=self.home.parent
            )
        wait_for_http(f"{self.api_url}/health", timeout=self.settings.agentic_start_timeout_seconds)
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

    def banner(self) -> str:
        return (
            f"\nAgentic DevOps is running.\n"
            f"  API:     {self.api_url}  (OpenAPI: {self.api_url}/openapi.json)\n"
            f"  Token:   uv run agentic token   (or: TOKEN=$(uv run agentic token))\n"
            f"  Alertmanager: POST {self.api_url}/alerts/alertmanager with 'Authorization: Bearer' and the "
            f"secret in {token_path(self.home, ALERTMANAGER_WEBHOOK)}\n"
            f"  Try:     uv run agentic workflow create --template microservice-rest-api "
            f"--param serviceName=hello-api --param language=python --param environment=dev --wait\n"
            f"  Logs:    {self.logs}/\n  Press Ctrl-C to stop everything.\n"
        )

    def check(self) -> None:
        for name, child in self.children.items():
            if child.poll() is not None:
                raise ServiceExitedError(
                    f"{name} exited with code {child.returncode}; see {self.logs}/{name}.log"
                )

    def wait(self) -> None:
        while True:
            self.check()
            time.sleep(0.5)

    def stop(self) -> None:
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
            self.moto.stop()
        (self.home / "stack.json").unlink(missing_ok=True)
        self._say("stopped every process the stack started")
