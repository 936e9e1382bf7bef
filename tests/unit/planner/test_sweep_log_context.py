"""Lines the planner's sweep writes about a workflow carry that workflow's id."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import replace

from agentic_common.logs import JsonFormatter
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.logic.create import CreateRequest, create_workflow

from tests.unit.planner.conftest import Harness


def test_a_workflow_the_sweep_skips_is_named_in_the_line_it_logs(harness: Harness) -> None:
    # Given a workflow in progress whose template has since left the catalogue
    request = CreateRequest(
        requested_by="dev@x.io", template="diamond", parameters={"serviceName": "svc", "environment": "dev"}
    )
    workflow_id = create_workflow(harness.service, request, {"n": 1}).state.workflow.workflow_id
    service = replace(harness.service, catalogue=Catalogue({}))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("planner"))
    planner_log = logging.getLogger("agentic_planner.logic.workflows")
    planner_log.addHandler(handler)
    # When the sweep runs
    try:
        service.sweep()
    finally:
        planner_log.removeHandler(handler)
    # Then the line about skipping it carries its id as workflow_id
    (line,) = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["message"].startswith(f"sweep skips workflow {workflow_id}")
    assert line["workflow_id"] == workflow_id
