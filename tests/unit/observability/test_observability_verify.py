"""The verify action with a fake prober: verified, breached, and refused tasks."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from agentic_common.agent import TaskAgent, TaskError
from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope
from agentic_common.events.observability import AnomalyDetected, VerificationOutputs
from agentic_common.events.tasks import TaskCreated, TaskFailed
from agentic_common.idempotency import InMemoryClaimStore
from agentic_observability.logic.verify import failure_events, make_work, verify
from agentic_observability.ports import ProbeSample

MakeTask = Callable[..., TaskCreated]


class FakeProber:
    """Answers with scripted samples (cycled to the number asked) and remembers what it probed."""

    def __init__(self, samples: Sequence[ProbeSample]) -> None:
        self._samples = list(samples)
        self.calls: list[tuple[str, int]] = []

    def probe(self, url: str, requests: int) -> list[ProbeSample]:
        self.calls.append((url, requests))
        return [self._samples[i % len(self._samples)] for i in range(requests)]


FAST_OK = [ProbeSample(latency_ms=12.0, ok=True)]
# One failure in four, slow: 25% errors and a p95 of 800 ms.
FLAKY = [ProbeSample(12.0, ok=True)] * 3 + [ProbeSample(800.0, ok=False)]


def test_a_healthy_deployment_is_verified(make_task: MakeTask) -> None:
    # Given a service that answers fast and never fails
    prober = FakeProber(FAST_OK)
    # When
    result = verify(make_task(), prober)
    # Then the outputs say verified, with the measurements, and no domain event
    assert isinstance(result.outputs, VerificationOutputs)
    assert result.outputs.verified is True
    assert result.outputs.breaches == ()
    assert result.outputs.url == "http://127.0.0.1:8081"
    assert result.outputs.measurements.requests == 20
    assert result.outputs.measurements.error_rate == 0.0
    assert list(result.events) == []


def test_the_prober_is_asked_for_the_slo_request_count_on_the_health_path(make_task: MakeTask) -> None:
    prober = FakeProber(FAST_OK)
    verify(make_task(), prober)
    assert prober.calls == [("http://127.0.0.1:8081/health", 20)]


def test_a_configured_probe_path_is_used(make_task: MakeTask) -> None:
    prober = FakeProber(FAST_OK)
    task = make_task(
        config={"slo": {"p95_latency_ms": 500, "max_error_rate": 0.01, "requests": 3}, "probe_path": "/ready"}
    )
    verify(task, prober)
    assert prober.calls == [("http://127.0.0.1:8081/ready", 3)]


def test_a_breach_fails_the_task_with_readable_message_and_evidence(make_task: MakeTask) -> None:
    # Given a flaky, slow service
    prober = FakeProber(FLAKY)
    # When
    with pytest.raises(TaskError) as caught:
        verify(make_task(), prober)
    # Then
    error = caught.value
    assert error.retryable is False
    assert str(error).startswith("deployment at http://127.0.0.1:8081 failed SLO verification: ")
    assert "p95 latency 800.0 ms exceeds the SLO of 500 ms" in str(error)
    assert "error rate 25.0% exceeds the SLO of 1.0%" in str(error)
    assert error.evidence["measurements"]["errors"] == 5
    assert error.evidence["slo"]["p95_latency_ms"] == 500
    assert len(error.evidence["breaches"]) == 2


def test_failure_events_turn_a_breach_into_anomaly_detected(make_task: MakeTask) -> None:
    # Given the TaskError of a breach
    task = make_task()
    with pytest.raises(TaskError) as caught:
        verify(task, FakeProber(FLAKY))
    # When
    events = list(failure_events(task, caught.value))
    # Then
    assert len(events) == 1
    anomaly = events[0]
    assert isinstance(anomaly, AnomalyDetected)
    assert (anomaly.workflow_id, anomaly.task_id) == ("wf-1", "verify")
    assert anomaly.outputs.verified is False
    assert anomaly.outputs.measurements.error_rate == pytest.approx(0.25)
    assert anomaly.outputs.breaches == tuple(caught.value.evidence["breaches"])


def test_failure_events_are_empty_for_a_configuration_error(make_task: MakeTask) -> None:
    task = make_task(config={})
    with pytest.raises(TaskError) as caught:
        verify(task, FakeProber(FAST_OK))
    assert list(failure_events(task, caught.value)) == []


def test_the_task_agent_publishes_anomaly_detected_before_task_failed(make_task: MakeTask) -> None:
    # Given the agent as bootstrap wires it, with fakes
    publisher = RecordingPublisher()
    agent = TaskAgent(
        "observability", make_work(FakeProber(FLAKY)), publisher, InMemoryClaimStore(), failure_events
    )
    task = make_task()
    # When
    agent.handle(Envelope(source="agentic.planner", detail_type="task.created", detail=task))
    # Then
    assert [e.DETAIL_TYPE for e in publisher.published] == ["anomaly.detected", "task.failed"]
    failed = publisher.published[1]
    assert isinstance(failed, TaskFailed)
    assert failed.retryable is False
    assert failed.evidence["breaches"]


def test_a_missing_deploy_upstream_is_refused_without_probing(make_task: MakeTask) -> None:
    prober = FakeProber(FAST_OK)
    with pytest.raises(TaskError, match="needs the outputs of the 'deploy' task") as caught:
        verify(make_task(upstream={}), prober)
    assert caught.value.retryable is False
    assert prober.calls == []


def test_a_deploy_upstream_that_is_not_deployment_outputs_is_refused(make_task: MakeTask) -> None:
    with pytest.raises(TaskError, match="not DeploymentOutputs"):
        verify(make_task(upstream={"deploy": {"url": "http://x"}}), FakeProber(FAST_OK))


def test_an_unknown_action_is_refused(make_task: MakeTask) -> None:
    with pytest.raises(TaskError, match="no action 'detect'"):
        verify(make_task(action="detect"), FakeProber(FAST_OK))
