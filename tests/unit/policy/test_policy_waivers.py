"""Waivers: which violations they cover, until when, and how they are shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from agentic_common.events.policy import Violation
from agentic_policy.logic.waivers import WaiverRequest, apply_waivers, new_waiver
from pydantic import ValidationError

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def waiver(
    rule: str = "CKV_AWS_18", resource: str | None = None, days: int = 30, repository: str = "orders-api"
):
    request = WaiverRequest(
        rule=rule,
        repository=repository,
        resource=resource,
        owner="team-orders",
        reason="logging bucket is shared; tracked in OPS-42",
        expires_at=NOW + timedelta(days=days),
    )
    return new_waiver(request, "alice", NOW - timedelta(days=1))


def violation(rule: str = "CKV_AWS_18", resource: str | None = "aws_s3_bucket.data") -> Violation:
    return Violation(
        rule=rule, severity="medium", category="security", message="m", file="main.tf", resource=resource
    )


def test_a_waiver_covers_its_rule_in_its_repository_and_marks_the_violation() -> None:
    w = waiver()
    counted, waived = apply_waivers([violation(), violation("CKV_AWS_21")], [w], "orders-api", NOW)
    assert [v.rule for v in counted] == ["CKV_AWS_21"]
    assert [(v.rule, v.waiver_id) for v in waived] == [("CKV_AWS_18", w.waiver_id)]


def test_a_resource_scoped_waiver_covers_only_that_resource() -> None:
    w = waiver(resource="aws_s3_bucket.data")
    other = violation(resource="aws_s3_bucket.logs")
    counted, waived = apply_waivers([violation(), other], [w], "orders-api", NOW)
    assert counted == (other,)
    assert len(waived) == 1


def test_a_waiver_does_not_cover_another_repository_and_an_expired_one_is_ignored() -> None:
    assert apply_waivers([violation()], [waiver()], "billing-api", NOW)[1] == ()
    expired = waiver(days=-1)
    counted, waived = apply_waivers([violation()], [expired], "orders-api", NOW)
    assert (len(counted), waived) == (1, ())


def test_the_same_request_gives_the_same_waiver_id() -> None:
    assert waiver().waiver_id == waiver().waiver_id
    assert waiver().waiver_id != waiver(resource="aws_s3_bucket.data").waiver_id


@pytest.mark.parametrize(
    ("field", "value"),
    [("rule", "no!"), ("reason", "short"), ("expires_at", "2030-01-01T00:00:00"), ("owner", "")],
)
def test_a_malformed_request_names_the_field(field: str, value: str) -> None:
    fields = {
        "rule": "OPS-004",
        "repository": "r",
        "owner": "team",
        "reason": "a long enough reason",
        "expires_at": "2030-01-01T00:00:00Z",
    }
    with pytest.raises(ValidationError) as raised:
        WaiverRequest.model_validate(fields | {field: value})
    assert raised.value.errors()[0]["loc"] == (field,)
