"""The monitor and the remediation decision on series recorded by ``bench/remediation.py``: the scrapes
(cumulative request histograms, one per poll) of a healthy service under CPU load and of one that
started answering 500 to every request, replayed poll by poll through the real monitor and decision.

Regenerate with ``uv run python bench/remediation.py --record <file>``.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from agentic_common.approvals import InMemoryApprovalStore
from agentic_common.bus import RecordingPublisher
from agentic_common.events.observability import AnomalyDetected
from agentic_common.events.remediation import RemediationActionRequested, RemediationRecommended
from agentic_observability.adapters.tables import MemoryAlertLedger
from agentic_observability.logic.histogram import Histogram
from agentic_observability.logic.monitor import Monitor
from agentic_remediation.adapters.memory.audit import InMemoryAuditStore
from agentic_remediation.logic.catalogue import load_catalogue
from agentic_remediation.logic.context import LoopBound, Remediation
from agentic_remediation.logic.decide import Decider
from agentic_remediation.logic.on_trigger import on_trigger
from agentic_remediation.logic.ranking import DeterministicRanker
from agentic_remediation.logic.tiers import load_tier_policy

from tests.unit.observability.test_observability_monitor import SwitchableProber, Table, row

RECORDED = Path(__file__).with_name("recorded") / "remediation_bench_series.json"
T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def scrapes(service: str) -> list[Histogram]:
    recorded = json.loads(RECORDED.read_text())[service]
    return [
        Histogram(
            {math.inf if le == "Infinity" else float(le): n for le, n in s["buckets"].items()},
            s["count"],
            s["errors"],
        )
        for s in recorded
    ]


class Replay:
    """The real monitor (dev objective from the environment table) feeding the real decision."""

    def __init__(self, service: str, environment: str = "dev") -> None:
        self.feed = iter(scrapes(service))
        self.polls = len(scrapes(service))
        self.now = T0
        self.publisher = RecordingPublisher("remediation")
        decider = Decider(load_catalogue(), load_tier_policy(), DeterministicRanker())
        self.remediation = Remediation(
            self.publisher,
            InMemoryAuditStore(),
            InMemoryApprovalStore(),
            decider,
            LoopBound(100, timedelta(hours=1)),
        )
        self.anomalies: list[AnomalyDetected] = []
        deployment = replace(row(service=service), environment=environment)
        self.monitor = Monitor(
            reader=Table([deployment]),
            prober=SwitchableProber(),  # /health answered throughout the recording
            ledger=MemoryAlertLedger(),
            publish=self._decide,
            scrape=lambda url: next(self.feed),
            clock=lambda: self.now,
        )

    def _decide(self, event: AnomalyDetected) -> None:
        self.anomalies.append(event)
        on_trigger(self.remediation, event)

    def run(self) -> Replay:
        for _ in range(self.polls):
            self.now += timedelta(seconds=1.5)
            self.monitor.poll_once()
        return self

    def automated(self) -> list[RemediationActionRequested]:
        requests = self.publisher.of_type("remediation.action_requested")
        return [r for r in requests if isinstance(r, RemediationActionRequested) and r.tier == "automated"]

    def recommended(self) -> list[RemediationRecommended]:
        found = self.publisher.of_type("remediation.recommended")
        return [r for r in found if isinstance(r, RemediationRecommended)]


@pytest.fixture(scope="module", params=["healthy-1", "healthy-2"])
def healthy(request: pytest.FixtureRequest) -> Replay:
    return Replay(request.param).run()


def test_the_recorded_healthy_service_did_raise_statistical_anomalies_under_cpu_load(healthy: Replay) -> None:
    # The recording is a real case of the issue: the detector flags the load, not only quiet polls
    assert healthy.anomalies, "the recorded series should hold at least one anomaly window"


def test_a_healthy_noisy_service_under_its_slo_gets_no_automated_action(healthy: Replay) -> None:
    assert healthy.automated() == []


def test_each_healthy_anomaly_is_recorded_as_advisory_and_pages_nobody(
    healthy: Replay,
) -> None:
    recommended = healthy.recommended()
    assert len(recommended) == len(healthy.anomalies)
    assert {(r.tier, r.notify) for r in recommended} == {("advisory", False)}


def test_the_same_healthy_series_in_prod_asks_nobody_for_an_approval() -> None:
    replay = Replay("healthy-1", environment="prod").run()
    assert replay.remediation.approvals.pending("remediation") == []


def test_a_service_answering_500_to_every_request_is_restarted_automatically() -> None:
    # Given the recorded scrapes of the service that started failing
    replay = Replay("failing-svc").run()
    # Then its error-rate incident is actionable evidence and a restart was requested, automated
    actionable = [e for e in replay.anomalies if e.check is not None and e.check.actionable]
    assert actionable
    assert actionable[0].series == "error_rate"
    [restart] = replay.automated()
    assert (restart.action, restart.service, restart.environment) == ("restart", "failing-svc", "dev")
