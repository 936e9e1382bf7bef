"""The local deploy target with release strategies: each service + environment gets a traffic proxy.

The proxy's URL is the service's stable address. A new version starts beside the live one, traffic
moves to it by the strategy's steps (``logic/release.py``), every step judged on the deployment's gate,
and the old version stops once the new one has all the traffic. A version whose step fails (or has no
verdict) is stopped and the live one keeps (or gets back) all traffic. Remediation actions work on the
same lines: a rollback is a gated rolling release of the version before; restart and resync restart
the live version in place.

Every line is recorded on disk (``line_records``) whenever its live version changes. A worker that
starts again calls ``reap_orphans``: it first recovers every recorded line on the same proxy port,
adopting the live version if it still runs healthy (a worker crash) or starting it again from its
install (after `make up` stopped everything), and only then stops what no line holds.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from dataclasses import dataclass, field

from agentic_deployment.adapters.local.line_records import LineRecord, LineRecords, VersionRecord
from agentic_deployment.adapters.local.load_probe import HttpLoadProbe
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.traffic_proxy import TrafficProxy
from agentic_deployment.logic.release import GateFailedError, Release
from agentic_deployment.logic.step_gate import StepResult
from agentic_deployment.ports import DeployError, DeployRequest, LoadProbe, RunningService, Strategy

log = logging.getLogger(__name__)


@dataclass
class LiveVersion:
    label: str
    request: DeployRequest
    running: RunningService


@dataclass
class ServiceLine:
    """One service in one environment: its proxy, the version taking traffic, and the one before it."""

    proxy: TrafficProxy
    live: LiveVersion | None = None
    previous: LiveVersion | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    service: str = ""
    environment: str = ""

    def record(self) -> LineRecord:
        def version(v: LiveVersion | None) -> VersionRecord | None:
            return VersionRecord.of(v.label, v.request, v.running) if v else None

        port = int(self.proxy.url.rsplit(":", 1)[1])
        return LineRecord(
            service=self.service,
            environment=self.environment,
            proxy_port=port,
            live=version(self.live),
            previous=version(self.previous),
        )


class LocalReleaseTarget:
    name = "local-process"

    def __init__(self, processes: LocalProcessTarget, probe: LoadProbe | None = None) -> None:
        self.processes = processes
        self._probe = probe or HttpLoadProbe()
        self._lines: dict[tuple[str, str], ServiceLine] = {}
        self._lock = threading.Lock()
        self._records = LineRecords(processes.root / "lines")

    def line(self, service: str, environment: str) -> ServiceLine | None:
        with self._lock:
            return self._lines.get((service, environment))

    def deploy(self, request: DeployRequest) -> RunningService:
        line = self._line_for(request.service_name, request.environment)
        with line.lock:
            if line.live and line.live.request.deployment_id == request.deployment_id:
                return self._public(line, line.live.running, ())  # a redelivered task: already released
            return self.release(line, request, request.strategy)

    def release(self, line: ServiceLine, request: DeployRequest, strategy: Strategy) -> RunningService:
        """Run ``request`` beside the live version and move traffic to it by ``strategy``, every step
        judged on ``request.gate``; a stopped step stops the new version and raises GateFailedError."""
        with line.lock:
            old = line.live
            running = self.processes.deploy(request)
            label = _label(request, old)
            line.proxy.add_version(label, running.url)
            try:
                steps = Release(line.proxy, self._probe, request.gate).run(
                    strategy, old.label if old else None, label
                )
            except GateFailedError:
                line.proxy.remove_version(label)
                self.processes.stop(request.deployment_id)
                raise
            self._retire(line, old)
            line.live = LiveVersion(label, request, running)
            self._records.save(line.record())
            return self._public(line, running, tuple(s.as_dict() for s in steps))

    def switch_to(self, line: ServiceLine, request: DeployRequest) -> RunningService:
        """Run ``request`` (already installed) and give it all traffic at once: restart and resync of
        the live version (a rollback to another version goes through ``release``, gated)."""
        with line.lock:
            old = line.live
            same = old is not None and old.request.deployment_id == request.deployment_id
            if same and old is not None:  # a restart: the one process goes down and comes back
                line.proxy.remove_version(old.label)
                self.processes.stop(request.deployment_id)
            running = self.processes.deploy(request)
            label = _label(request, None if same else old)
            line.proxy.add_version(label, running.url)
            line.proxy.route({label: 100})
            if not same:
                self._retire(line, old)
            line.live = LiveVersion(label, request, running)
            self._records.save(line.record())
            return running

    def stop_all(self) -> None:
        with self._lock:
            lines = list(self._lines.values())
            self._lines.clear()
        for line in lines:
            line.proxy.close()
        self.processes.stop_all()

    def reap_orphans(self) -> int:
        """At a worker's start: recover every recorded line, then stop what no line holds any more."""
        self.recover()
        return self.processes.reap_orphans()

    def recover(self) -> int:
        """Bring each recorded line back on its address; returns how many lines take traffic again."""
        recovered = 0
        for record in self._records.load_all():
            if record.live is None or self.line(record.service, record.environment) is not None:
                continue
            line = ServiceLine(TrafficProxy(port=record.proxy_port), None, None, threading.RLock(),
                               record.service, record.environment)  # fmt: skip
            request = record.live.request()
            try:
                running = self.processes.adopt(request) or self.processes.deploy(request)
            except DeployError as exc:
                log.error("could not bring back %s in %s: %s", record.service, record.environment, exc)
                line.proxy.close()
                continue
            line.proxy.add_version(record.live.label, running.url)
            line.proxy.route({record.live.label: 100})
            line.live = LiveVersion(record.live.label, request, running)
            if record.previous is not None:
                previous = record.previous
                line.previous = LiveVersion(previous.label, previous.request(), previous.running())
            with self._lock:
                self._lines[(record.service, record.environment)] = line
            self._records.save(line.record())
            log.info("%s in %s takes traffic again at %s", record.service, record.environment, line.proxy.url)
            recovered += 1
        return recovered

    def _retire(self, line: ServiceLine, old: LiveVersion | None) -> None:
        if old is None:
            return
        line.proxy.remove_version(old.label)
        self.processes.stop(old.request.deployment_id)
        line.previous = old

    def _line_for(self, service: str, environment: str) -> ServiceLine:
        with self._lock:
            key = (service, environment)
            if key not in self._lines:
                self._lines[key] = ServiceLine(proxy=TrafficProxy(), service=service, environment=environment)
            return self._lines[key]

    @staticmethod
    def _public(
        line: ServiceLine, running: RunningService, steps: tuple[dict[str, object], ...]
    ) -> RunningService:
        return dataclasses.replace(running, url=line.proxy.url, steps=steps)


def _label(request: DeployRequest, old: LiveVersion | None) -> str:
    """The version's name behind the proxy: its short commit, made unique if the live one has it too."""
    label = request.commit[:12]
    if old is not None and old.label == label:
        label = f"{label}-{request.deployment_id[-6:]}"
    return label


def require_line(target: LocalReleaseTarget, service: str, environment: str) -> ServiceLine:
    line = target.line(service, environment)
    if line is None or line.live is None:
        raise DeployError(
            f"{service} has no running deployment in {environment} on this worker", retryable=False
        )
    return line


__all__ = ["LiveVersion", "LocalReleaseTarget", "ServiceLine", "StepResult", "require_line"]
