"""GET /metrics/dora?bucket=week: weekly DORA trends through the observability API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.observability.test_observability_api import build, request


@pytest.fixture
def call() -> Any:
    return build()[0]


def test_weekly_trends_give_each_week_of_the_window_per_group(call: Any) -> None:
    # Given one deployment of orders on Saturday 21 November (the table of the API tests)
    # When the weekly trends of the last 14 days are asked
    answer = call(request("GET", "/metrics/dora", query={"bucket": "week", "window": "14d"}))
    # Then orders has three weeks, the last with its one deployment
    assert answer["statusCode"] == 200
    body = json.loads(answer["body"])
    assert (body["bucket"], body["window"], body["by"]) == ("week", "14d", "service")
    [trend] = body["trends"]
    assert trend["group"] == "orders"
    assert [w["week_start"] for w in trend["weeks"]] == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert [w["deployments"] for w in trend["weeks"]] == [0, 0, 1]
    assert trend["weeks"][-1]["change_failure_rate"] == 0.0
    assert set(trend["weeks"][-1]) == {
        "week_start",
        "deployments",
        "deployment_frequency_per_day",
        "lead_time_hours",
        "change_failure_rate",
        "time_to_restore_hours",
    }


def test_an_unknown_bucket_is_a_422_naming_the_field(call: Any) -> None:
    answer = call(request("GET", "/metrics/dora", query={"bucket": "fortnight"}))
    assert answer["statusCode"] == 422
    assert json.loads(answer["body"])["errors"] == [
        {"field": "bucket", "problem": "'fortnight' is not week (or leave it out for one figure per group)"}
    ]


def test_without_a_bucket_the_window_has_one_figure_per_group(call: Any) -> None:
    body = json.loads(call(request("GET", "/metrics/dora", query={"window": "7d"}))["body"])
    assert "trends" not in body
    assert body["metrics"][0]["group"] == "orders"
