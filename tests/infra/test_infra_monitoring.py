"""Alarms (Lambda error rate, DLQ, oldest message age, Fargate task failures) and a dashboard per service."""

from __future__ import annotations

import pytest
from agentic_common.topology import default_topology
from agentic_infra.profiles import PROFILES

pytestmark = pytest.mark.slow
TOPOLOGY = default_topology()


def _alarms(synthesized):
    return {p["AlarmName"]: p for p in synthesized.props("AWS::CloudWatch::Alarm") if "AlarmName" in p}


def _topic_ref(synthesized):
    return {"Ref": synthesized.logical_id(synthesized.stack.monitoring.topic)}


def test_every_function_alarms_when_more_than_5_percent_of_invocations_fail(synthesized):
    alarms = _alarms(synthesized)
    for service, group in synthesized.stack.functions.items():
        for role in group.functions:
            alarm = alarms[f"agentic-dev-{service}-{role}-error-rate"]
            assert alarm["Threshold"] == 5
            assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
            expression = next(m["Expression"] for m in alarm["Metrics"] if "Expression" in m)
            assert expression == "IF(invocations > 0, 100 * errors / invocations, 0)"
            assert {
                m["MetricStat"]["Metric"]["MetricName"] for m in alarm["Metrics"] if "MetricStat" in m
            } == {"Errors", "Invocations"}
            assert alarm["AlarmActions"] == [_topic_ref(synthesized)]


@pytest.mark.parametrize("spec", TOPOLOGY.queues, ids=lambda q: q.name)
def test_every_dlq_alarms_on_its_first_message_and_every_queue_on_old_messages(synthesized, spec):
    alarms = _alarms(synthesized)
    key = spec.name.removesuffix(".fifo")
    dlq = alarms[f"agentic-dev-{key}-dlq-not-empty"]
    assert (dlq["MetricName"], dlq["Threshold"], dlq["ComparisonOperator"]) == (
        "ApproximateNumberOfMessagesVisible",
        1,
        "GreaterThanOrEqualToThreshold",
    )
    assert dlq["Dimensions"][0]["Value"]["Fn::GetAtt"][0] == synthesized.logical_id(
        synthesized.stack.resources.dlqs[spec.name]
    )
    age = alarms[f"agentic-dev-{key}-oldest-message-age"]
    assert age["MetricName"] == "ApproximateAgeOfOldestMessage"
    assert age["Threshold"] >= 2 * spec.visibility_timeout_seconds
    assert dlq["AlarmActions"] == age["AlarmActions"] == [_topic_ref(synthesized)]


@pytest.mark.parametrize("service", [p.name for p in PROFILES.values() if p.runtime == "fargate"])
def test_every_worker_alarms_on_failed_tasks(synthesized, service):
    # Given the rule that matches the worker's stopped tasks
    rule = next(
        p
        for p in synthesized.props("AWS::Events::Rule")
        if p.get("EventPattern", {}).get("source") == ["aws.ecs"]
        and p["EventPattern"]["detail"]["group"] == [f"service:agentic-dev-{service}"]
    )
    assert rule["EventPattern"]["detail"]["stopCode"] == ["TaskFailedToStart", "EssentialContainerExited"]
    # Then an alarm fires on its first match
    alarm = _alarms(synthesized)[f"agentic-dev-{service}-task-failures"]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Threshold"]) == ("AWS/Events", "MatchedEvents", 1)


def test_there_is_a_dashboard_per_service(synthesized):
    names = {p["DashboardName"] for p in synthesized.props("AWS::CloudWatch::Dashboard")}
    assert names == {f"agentic-dev-{name}" for name in PROFILES}


def test_the_alarm_topic_is_encrypted_with_a_rotated_key(synthesized):
    [topic] = synthesized.props("AWS::SNS::Topic")
    assert "KmsMasterKeyId" in topic
    assert all(k["EnableKeyRotation"] for k in synthesized.props("AWS::KMS::Key"))
