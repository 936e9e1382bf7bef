"""Every handler a Lambda function of the stack runs flushes telemetry before it returns."""

from __future__ import annotations

import importlib

import pytest
from agentic_common.lambda_telemetry import FlushingHandler
from agentic_common.topology import default_topology
from agentic_infra.profiles import PROFILES, schedule_handler

TOPOLOGY = default_topology()
LAMBDA_HANDLERS = sorted(
    {r.handler for r in TOPOLOGY.api_routes}
    | {p.queue_handler for p in PROFILES.values() if p.runtime == "lambda" and p.queue_handler}
    | {schedule_handler(s.target_service, s.entry_point) for s in TOPOLOGY.schedules}
)


def test_the_stack_has_lambda_handlers_to_check() -> None:
    assert len(LAMBDA_HANDLERS) >= 7


@pytest.mark.parametrize("reference", LAMBDA_HANDLERS)
def test_the_lambda_handler_flushes_telemetry_before_returning(reference: str) -> None:
    # Given a handler the stack deploys as a Lambda function
    module, _, name = reference.partition(":")
    # When it is imported as the runtime imports it
    handler = getattr(importlib.import_module(module), name)
    # Then it is wrapped by flushes_telemetry
    assert isinstance(handler, FlushingHandler), f"{reference} does not flush telemetry (@flushes_telemetry)"
