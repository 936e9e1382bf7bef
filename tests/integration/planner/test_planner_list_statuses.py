"""GET /workflows over several statuses (``status=a,b`` or ``status=any``) in one call, on the local AWS."""

from __future__ import annotations

import base64
import itertools
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from agentic_common.state import WorkflowRecord, WorkflowStatus
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event

START = datetime(2027, 5, 1, 12, 0, tzinfo=UTC)
MINUTES = itertools.count()  # each seeded workflow one minute after the one before


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path) -> Planner:
    return build(
        PlannerSettings(
            agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
        )
    )


def seed(planner: Planner, requester: str, statuses: list[WorkflowStatus]) -> list[str]:
    """One workflow per status given, each newer than the one before; their ids, newest first."""
    ids = []
    for status in statuses:
        at = START + timedelta(minutes=next(MINUTES))
        workflow = WorkflowRecord(
            workflow_id=f"wf-{uuid.uuid4().hex[:12]}",
            template="deploy",
            parameters={"service": "orders"},
            requested_by=requester,
            status=status,
            created_at=at,
            updated_at=at,
        )
        planner.service.store.create_workflow(workflow, [])
        ids.append(workflow.workflow_id)
    return ids[::-1]


def listed(planner: Planner, **query: str) -> tuple[int, dict[str, Any]]:
    response = planner.handle_api(api_event("GET", "/workflows", query=query), None)
    return response["statusCode"], json.loads(response["body"])


def test_any_status_lists_every_status_newest_first_in_one_call(planner: Planner) -> None:
    # Given one person's workflows in every status, interleaved in time
    who = f"user:{uuid.uuid4().hex[:8]}"
    ids = seed(planner, who, [*WorkflowStatus, *WorkflowStatus])

    # When listing any status in one call
    status, body = listed(planner, status="any", requester=who, limit="100")

    # Then all of them come back, newest first, whatever their status
    assert status == 200, body
    assert [w["workflowId"] for w in body["workflows"]] == ids
    assert {w["status"] for w in body["workflows"]} == {s.value for s in WorkflowStatus}


def test_two_statuses_list_only_those(planner: Planner) -> None:
    # Given workflows completed, failed and in progress
    who = f"user:{uuid.uuid4().hex[:8]}"

    ids = seed(
        planner,
        who,
        [
            WorkflowStatus.COMPLETED,
            WorkflowStatus.IN_PROGRESS,
            WorkflowStatus.FAILED,
            WorkflowStatus.COMPLETED,
        ],
    )

    # When listing the completed and the failed ones
    status, body = listed(planner, status="completed,failed", requester=who)

    # Then the in-progress one is left out
    assert status == 200, body
    assert [w["workflowId"] for w in body["workflows"]] == [ids[0], ids[1], ids[3]]


def test_the_cursor_of_several_statuses_pages_through_all_without_gaps_or_repeats(planner: Planner) -> None:
    # Given seven workflows over three statuses
    who = f"user:{uuid.uuid4().hex[:8]}"

    ids = seed(
        planner,
        who,
        [
            WorkflowStatus.FAILED,
            WorkflowStatus.COMPLETED,
            WorkflowStatus.COMPLETED,
            WorkflowStatus.CANCELLED,
            WorkflowStatus.FAILED,
            WorkflowStatus.COMPLETED,
            WorkflowStatus.FAILED,
        ],
    )

    # When paging through them two at a time
    seen: list[str] = []
    query = {"status": "completed,failed,cancelled", "requester": who, "limit": "2"}
    for _ in range(10):
        status, body = listed(planner, **query)
        assert status == 200, body
        seen += [w["workflowId"] for w in body["workflows"]]
        if body["nextCursor"] is None:
            break
        query["cursor"] = body["nextCursor"]

    # Then every one comes exactly once, newest first
    assert seen == ids


def test_an_unknown_status_in_the_list_is_422_naming_status(planner: Planner) -> None:
    # Given / When
    status, body = listed(planner, status="completed,done")

    # Then the field and the bad value are named
    assert status == 422, body
    assert body["errors"][0]["field"] == "query.status"
    assert "'done' is not a status" in body["errors"][0]["problem"]


def test_a_single_status_cursor_given_to_several_statuses_is_400_naming_cursor(planner: Planner) -> None:
    # Given a cursor of a one-status listing
    who = f"user:{uuid.uuid4().hex[:8]}"
    seed(planner, who, [WorkflowStatus.FAILED] * 3)
    _, first = listed(planner, status="failed", limit="1")

    # When it is used for several statuses
    status, body = listed(planner, status="failed,completed", cursor=first["nextCursor"])

    # Then the cursor is refused by name
    assert status == 400, body
    assert body["errors"][0]["field"] == "cursor"


CRAFTED = {
    "not base64 JSON": "m.%%%",
    "a JSON list": "m." + base64.urlsafe_b64encode(b"[1]").decode(),
    "a status not asked for": "m."
    + base64.urlsafe_b64encode(json.dumps({"cancelled": ""}).encode()).decode(),
    "a position that is no store cursor": "m."
    + base64.urlsafe_b64encode(json.dumps({"failed": "bm90LWEta2V5"}).encode()).decode(),
    "a number for a position": "m." + base64.urlsafe_b64encode(json.dumps({"failed": 3}).encode()).decode(),
}


@pytest.mark.parametrize("cursor", list(CRAFTED.values()), ids=list(CRAFTED))
def test_a_crafted_several_status_cursor_is_400_naming_cursor(planner: Planner, cursor: str) -> None:
    # Given / When a cursor this API never handed out is used for several statuses
    status, body = listed(planner, status="failed,completed", cursor=cursor)

    # Then it is refused by name, not answered with a 5xx
    assert status == 400, body
    assert body["errors"] == [{"field": "cursor", "problem": body["errors"][0]["problem"]}]
