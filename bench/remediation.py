"""Remediation benchmark (`make bench-remediation`): does remediation act only on evidence that matters?

Starts N healthy services and one more that will fail (``bench/remediation_target.py``, each its own
process on loopback, probed and scraped by the monitor like a generated service), sends each a steady
load, and runs the real monitor (robust detector, SLO evidence against the environment table's dev
row) and the real remediation decision (shipped playbooks, tier table, evidence rule) poll by poll:

1. warm-up: the detectors learn the services' normal latency;
2. CPU load: the bench starts CPU hog processes; latency rises, anomalies open, and every one must stay
   advisory: the number of automated actions on the healthy services is printed (expected 0);
3. true positive: the extra service starts answering 500 (a fault only a restart clears); the bench
   acts as the executor of the restart it is asked for and reports when the service is sound again;
4. true positive: the same service is killed (SIGKILL); the health path must restart it too.

Prints counts and timings; asserts nothing on time. ``--record FILE`` writes each service's scrapes
(cumulative histograms per poll) as JSON, the recorded series the unit tests replay.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from agentic_common.approvals import InMemoryApprovalStore
from agentic_common.bus import RecordingPublisher
from agentic_common.events.observability import AnomalyDetected
from agentic_common.events.remediation import RemediationActionCompleted, RemediationActionRequested
from agentic_local.moto_server import free_port
from agentic_observability.adapters.http_prober import HttpxProber
from agentic_observability.adapters.local_scrape import LocalScrapeSource
from agentic_observability.adapters.tables import MemoryAlertLedger
from agentic_observability.logic.anomaly import DetectorConfig
from agentic_observability.logic.histogram import Histogram
from agentic_observability.logic.monitor import Monitor
from agentic_observability.ports import DeploymentRow, WorkflowRow
from agentic_remediation.adapters.memory.audit import InMemoryAuditStore
from agentic_remediation.logic.catalogue import load_catalogue
from agentic_remediation.logic.context import LoopBound, Remediation
from agentic_remediation.logic.decide import Decider
from agentic_remediation.logic.on_outcome import on_outcome
from agentic_remediation.logic.on_trigger import on_trigger
from agentic_remediation.logic.ranking import DeterministicRanker
from agentic_remediation.logic.tiers import load_tier_policy

TARGET = Path(__file__).with_name("remediation_target.py")
FAILING = "failing-svc"


def _get(url: str, timeout: float = 2.0) -> int | None:
    try:
        return httpx.get(url, timeout=timeout, trust_env=False).status_code
    except httpx.HTTPError:
        return None


@dataclass
class Target:
    name: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(TARGET), str(self.port)])
        deadline = time.monotonic() + 20
        while _get(f"{self.url}/health", 0.5) != 200:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def row(self) -> DeploymentRow:
        return DeploymentRow(
            f"dep-{self.name}", datetime(2026, 1, 1, tzinfo=UTC), f"wf-{self.name}", self.name, "dev", "v1",
            "success", self.url,
        )  # fmt: skip


class Load(threading.Thread):
    """GET /work at ``rps`` until stopped; connection errors (a killed target) are counted, not raised."""

    def __init__(self, target: Target, rps: float, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.target, self.rps, self.stop_event, self.sent = target, rps, stop, 0

    def run(self) -> None:
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            next_at = time.monotonic()
            while not self.stop_event.is_set():
                with contextlib.suppress(httpx.HTTPError):
                    client.get(f"{self.target.url}/work")
                self.sent += 1
                next_at += 1 / self.rps
                time.sleep(max(0.0, next_at - time.monotonic()))


class Rows:
    def __init__(self, targets: list[Target]) -> None:
        self.targets = targets

    def deployments(self) -> list[DeploymentRow]:
        return [t.row() for t in self.targets]

    def workflows(self) -> list[WorkflowRow]:
        return []


@dataclass
class Bench:
    targets: dict[str, Target]
    interval: float
    record: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    publisher: RecordingPublisher = field(default_factory=lambda: RecordingPublisher("remediation"))
    phase: str = "warm-up"
    anomalies: list[tuple[str, AnomalyDetected]] = field(default_factory=list)
    automated: list[tuple[str, RemediationActionRequested]] = field(default_factory=list)
    poll_seconds: list[float] = field(default_factory=list)
    _seen_requests: int = 0
    monitor: Monitor = field(init=False)
    remediation: Remediation = field(init=False)

    def __post_init__(self) -> None:
        scraper = LocalScrapeSource(timeout_seconds=2.0)

        def scrape(url: str) -> Histogram:
            histogram = scraper.scrape(url)
            name = next(t.name for t in self.targets.values() if t.url == url)
            self.record.setdefault(name, []).append(
                {"count": histogram.count, "errors": histogram.errors, "buckets": histogram.buckets}
            )
            return histogram

        self.monitor = Monitor(
            reader=Rows(list(self.targets.values())),
            prober=HttpxProber(timeout_seconds=2.0),
            ledger=MemoryAlertLedger(),
            publish=lambda event: None,
            scrape=scrape,
        )
        decider = Decider(load_catalogue(), load_tier_policy(), DeterministicRanker())
        self.remediation = Remediation(
            self.publisher,
            InMemoryAuditStore(),
            InMemoryApprovalStore(),
            decider,
            LoopBound(100, timedelta(hours=1)),
        )

    def poll(self) -> list[AnomalyDetected]:
        started = time.perf_counter()
        events: list[AnomalyDetected] = self.monitor.poll_once()
        for event in events:
            self.anomalies.append((self.phase, event))
            on_trigger(self.remediation, event)
        self.poll_seconds.append(time.perf_counter() - started)
        self._execute()
        return events

    def _execute(self) -> None:
        """Run what remediation requested, as the deployment worker would, and report the outcome."""
        requests = self.publisher.of_type("remediation.action_requested")
        for request in requests[self._seen_requests :]:
            assert isinstance(request, RemediationActionRequested)
            if request.tier == "automated":
                self.automated.append((self.phase, request))
            target = self.targets[request.service]
            before = {"pid": target.process.pid if target.process else None}
            if request.action == "restart":
                target.restart()
            after = {"pid": target.process.pid if target.process else None}
            outcome = RemediationActionCompleted(
                workflow_id=request.workflow_id,
                action_id=request.action_id,
                service=request.service,
                deployment_id=request.deployment_id,
                environment=request.environment,
                action=request.action,
                outcome="succeeded",
                detail=f"{request.action} done by the bench",
                before=before,
                after=after,
            )
            on_outcome(self.remediation, outcome)
        self._seen_requests = len(requests)

    def run_polls(self, phase: str, polls: int) -> None:
        self.phase = phase
        for _ in range(polls):
            self.poll()
            time.sleep(self.interval)

    def until_restarted(self, phase: str, max_polls: int) -> tuple[float | None, float | None, int]:
        """Poll until the failing service's restart was requested: (s to anomaly, s to request, polls)."""
        self.phase = phase
        started, anomaly_at = time.perf_counter(), None
        for polls in range(1, max_polls + 1):
            events = self.poll()
            if anomaly_at is None and any(e.service == FAILING for e in events):
                anomaly_at = time.perf_counter() - started
            if any(p == phase and r.service == FAILING for p, r in self.automated):
                return anomaly_at, time.perf_counter() - started, polls
            time.sleep(self.interval)
        return anomaly_at, None, max_polls


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _fmt(seconds: float | None) -> str:
    return "never" if seconds is None else f"{seconds:.1f}s"


def _load_figures(bench: Bench, healthy: list[str], phase: str) -> str:
    ps = [e for p, e in bench.anomalies if p == phase and e.service in healthy]
    actionable = sum(1 for e in ps if e.check is not None and e.check.actionable)
    return f"anomalies {len(ps)} (actionable {actionable}, advisory {len(ps) - actionable})"


def _worst_p95(bench: Bench, healthy: list[str], phase: str) -> str:
    values = [
        e.check.value
        for p, e in bench.anomalies
        if p == phase and e.service in healthy and e.series == "p95_latency_ms" and e.check is not None
    ]
    return f"; highest anomalous p95 {max(values):g} ms against the objective of 500 ms" if values else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=4, help="healthy services (default 4)")
    parser.add_argument("--rps", type=float, default=30.0, help="requests per second per service")
    parser.add_argument("--interval", type=float, default=1.5, help="seconds between monitor polls")
    parser.add_argument("--hogs", type=int, default=1, help="CPU hog processes during the load phase")
    parser.add_argument("--load-polls", type=int, default=30)
    parser.add_argument("--record", type=Path, help="write the scrapes of each service to this JSON file")
    args = parser.parse_args()

    healthy = [f"healthy-{i + 1}" for i in range(args.services)]
    targets = {name: Target(name) for name in [*healthy, FAILING]}
    stop, hogs = threading.Event(), []
    try:
        for target in targets.values():
            target.start()
        loads = [Load(t, args.rps, stop) for t in targets.values()]
        for load in loads:
            load.start()
        bench = Bench(targets, args.interval)
        warmup = DetectorConfig().warmup + 2  # the detectors' own warm-up, and the first scrape
        print(
            f"== remediation under CPU load: {args.services} healthy services + 1 that fails (dev, objective "
            f"from the environment table), {args.rps:g} req/s each, monitor every {args.interval:g}s, "
            f"{args.hogs} CPU hog(s)"
        )
        bench.run_polls("warm-up", warmup)
        print(f"  warm-up   {warmup:>3} polls  {_load_figures(bench, healthy, 'warm-up')}")
        hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.hogs)]
        bench.run_polls("cpu-load", args.load_polls)
        print(
            f"  CPU load  {args.load_polls:>3} polls  {_load_figures(bench, healthy, 'cpu-load')}"
            f"{_worst_p95(bench, healthy, 'cpu-load')}"
        )
        false_positives = [r for _, r in bench.automated if r.service in healthy]
        print(f"  automated actions on healthy services (false positives): {len(false_positives)}")

        httpx.post(f"{targets[FAILING].url}/fail", timeout=2.0, trust_env=False)
        anomaly, request, polls = bench.until_restarted("errors", 40)
        sound = _get(f"{targets[FAILING].url}/health") == 200
        print(
            f"  true positive, 500s on every request: anomaly after {_fmt(anomaly)}, automated restart "
            f"requested after {_fmt(request)} ({polls} polls), restarted and healthy: "
            f"{request is not None and sound}"
        )
        time.sleep(args.interval)
        bench.poll()  # a sound poll resets the fresh process's counters in the monitor
        failing = targets[FAILING].process
        if failing is None:
            raise RuntimeError(f"{FAILING} is not running")
        os.kill(failing.pid, signal.SIGKILL)
        anomaly, request, polls = bench.until_restarted("killed", 20)
        sound = _get(f"{targets[FAILING].url}/health") == 200
        print(
            f"  true positive, process killed: anomaly after {_fmt(anomaly)}, automated restart requested "
            f"after {_fmt(request)} ({polls} polls), restarted and healthy: {request is not None and sound}"
        )
        true_positives = sum(
            1 for p, r in bench.automated if r.service == FAILING and p in {"errors", "killed"}
        )
        print(
            f"  totals: automated actions {len(bench.automated)} (false positives {len(false_positives)}, "
            f"true positives {true_positives}); anomalies {len(bench.anomalies)}; "
            f"requests sent {sum(load.sent for load in loads)}"
        )
        print(
            f"  per poll ({len(targets)} services: probe, scrape, detect, decide, restarts included): median "
            f"{statistics.median(bench.poll_seconds) * 1000:.0f} ms, p95 "
            f"{_percentile(bench.poll_seconds, 0.95) * 1000:.0f} ms"
        )
        if args.record:
            args.record.write_text(json.dumps(bench.record, indent=None, default=str) + "\n")
            print(f"  recorded scrapes of {len(bench.record)} services to {args.record}")
    finally:
        stop.set()
        for hog in hogs:
            hog.kill()
            hog.wait()
        for target in targets.values():
            target.stop()


if __name__ == "__main__":
    main()
