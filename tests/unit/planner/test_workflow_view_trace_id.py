"""GET /workflows/{id} names the workflow's trace id (the console shows it; a trace backend finds it)."""

from __future__ import annotations

from agentic_planner.api.models import workflow_view

from tests.unit.planner.workflow_states import ALL_DONE, state

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def test_the_view_carries_the_trace_id_of_the_workflows_traceparent() -> None:
    # Given a workflow stored with its W3C traceparent
    stored = state(ALL_DONE)
    traced = stored.model_copy(
        update={
            "workflow": stored.workflow.model_copy(update={"traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"})
        }
    )
    # When it is viewed / Then the trace id is the traceparent's trace id
    assert workflow_view(traced)["traceId"] == TRACE


def test_a_workflow_without_a_traceparent_has_a_null_trace_id() -> None:
    assert workflow_view(state(ALL_DONE))["traceId"] is None
