"""The httpx prober against a real HTTP server on loopback."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import pytest
from agentic_common.agent import TaskError
from agentic_common.events.tasks import TaskCreated
from agentic_observability.adapters.http_prober import HttpxProber
from agentic_observability.logic.measurements import measure
from agentic_observability.logic.verify import verify

from tests.helpers import task_created

if TYPE_CHECKING:
    from conftest import RunningService


def _verify_task(url: str, requests: int, max_error_rate: float) -> TaskCreated:
    deploy = {
        "deployment_id": "dep-1",
        "service_name": "orders",
        "environment": "dev",
        "version": "abc",
        "url": url,
        "target": "local-process",
        "duration_seconds": 1.0,
    }
    return task_created(
        "observability",
        config={"slo": {"p95_latency_ms": 5000, "max_error_rate": max_error_rate, "requests": requests}},
        upstream={"deploy": deploy},
    )


def test_every_request_to_a_healthy_service_succeeds(health_service: RunningService) -> None:
    # Given a service answering 200 on /health
    prober = HttpxProber(timeout_seconds=5)
    # When
    samples = prober.probe(f"{health_service.url}/health", 10)
    # Then ten real requests were made, all successful, each timed
    assert len(samples) == 10
    assert all(sample.ok for sample in samples)
    assert all(sample.latency_ms > 0 for sample in samples)
    assert health_service.behaviour.seen == ["/health"] * 10


def test_server_errors_count_in_the_error_rate(health_service: RunningService) -> None:
    # Given a service failing every 4th request with a 500
    health_service.behaviour.fail_every = 4
    # When
    measured = measure(HttpxProber(timeout_seconds=5).probe(f"{health_service.url}/health", 20))
    # Then 5 of 20 are errors
    assert measured.requests == 20
    assert measured.errors == 5
    assert measured.error_rate == pytest.approx(0.25)


def test_a_non_2xx_path_counts_as_an_error(health_service: RunningService) -> None:
    measured = measure(HttpxProber(timeout_seconds=5).probe(f"{health_service.url}/missing", 3))
    assert measured.errors == 3


def test_a_refused_connection_counts_as_an_error() -> None:
    # Given a loopback port nobody listens on
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # When
    samples = HttpxProber(timeout_seconds=2).probe(f"http://127.0.0.1:{port}/health", 3)
    # Then
    assert [sample.ok for sample in samples] == [False, False, False]


def test_verify_passes_a_healthy_service(health_service: RunningService) -> None:
    result = verify(_verify_task(health_service.url, 10, 0.0), HttpxProber(timeout_seconds=5))
    assert result.outputs.model_dump()["verified"] is True


def test_verify_fails_a_service_whose_errors_exceed_the_slo(health_service: RunningService) -> None:
    # Given one failure in two and an SLO allowing 10%
    health_service.behaviour.fail_every = 2
    # When / Then
    with pytest.raises(TaskError, match=r"error rate 50\.0% exceeds the SLO of 10\.0%"):
        verify(_verify_task(health_service.url, 10, 0.1), HttpxProber(timeout_seconds=5))
