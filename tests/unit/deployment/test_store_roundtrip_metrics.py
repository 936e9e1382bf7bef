"""The event round trip counts messages handled on /metrics, whatever the language names its counter."""

from __future__ import annotations

from agentic_deployment.adapters.local.stores.roundtrip import handled_count

PYTHON = """# HELP events_processed_total Messages handled
events_processed_total{outcome="handled"} 2.0
events_processed_total{outcome="invalid"} 5.0
"""
GO_AND_NODE = 'messages_total{outcome="error"} 1\nmessages_total{outcome="handled"} 3\n'


def test_only_the_handled_outcome_is_counted_in_python_metrics() -> None:
    assert handled_count(PYTHON) == 2.0


def test_only_the_handled_outcome_is_counted_in_go_and_node_metrics() -> None:
    assert handled_count(GO_AND_NODE) == 3.0


def test_a_consumer_that_handled_nothing_yet_counts_zero() -> None:
    assert handled_count('http_requests_total{status="200"} 4\n') == 0.0
