"""Least privilege: own event source, own queues, only the tables, buckets and secrets in the profile."""

from __future__ import annotations

import json
from typing import Any

import pytest
from agentic_common.topology import default_topology
from agentic_infra.profiles import PROFILES, SECRETS

pytestmark = pytest.mark.slow
TOPOLOGY = default_topology()


def _roles_of(synthesized, service: str) -> list[Any]:
    roles = []
    if service in synthesized.stack.functions:
        roles.append(synthesized.stack.functions[service].role)
    if service in synthesized.stack.workers:
        roles.append(synthesized.stack.workers[service].service.task_definition.task_role)
    return roles


def _statements(synthesized, role) -> list[dict[str, Any]]:
    role_ref = {"Ref": synthesized.logical_id(role)}
    return [
        s
        for p in synthesized.props("AWS::IAM::Policy")
        if role_ref in p["Roles"]
        for s in p["PolicyDocument"]["Statement"]
    ]


def _referenced(statements, resources: dict[str, Any], synthesized) -> set[str]:
    text = json.dumps(statements)
    return {name for name, construct in resources.items() if f'"{synthesized.logical_id(construct)}"' in text}


@pytest.mark.parametrize("profile", PROFILES.values(), ids=lambda p: p.name)
def test_a_service_may_put_events_only_with_its_own_source(synthesized, profile):
    for role in _roles_of(synthesized, profile.name):
        puts = [s for s in _statements(synthesized, role) if s["Action"] == "events:PutEvents"]
        assert puts == [
            {
                "Action": "events:PutEvents",
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [synthesized.logical_id(synthesized.stack.resources.bus), "Arn"]},
                "Condition": {"StringEquals": {"events:source": [f"agentic.{profile.name}"]}},
            }
        ]


@pytest.mark.parametrize("profile", PROFILES.values(), ids=lambda p: p.name)
def test_a_service_touches_only_its_own_queues_tables_and_buckets(synthesized, profile):
    res = synthesized.stack.resources
    own_queues = {q.name for q in TOPOLOGY.queues_of(profile.name)}
    for role in _roles_of(synthesized, profile.name):
        statements = _statements(synthesized, role)
        assert _referenced(statements, res.queues, synthesized) == own_queues
        assert _referenced(statements, res.dlqs, synthesized) == own_queues
        assert _referenced(statements, res.tables, synthesized) == {*profile.tables, *profile.read_tables}
        assert _referenced(statements, res.buckets, synthesized) == {*profile.buckets, *profile.read_buckets}


@pytest.mark.parametrize("profile", PROFILES.values(), ids=lambda p: p.name)
def test_read_only_tables_get_no_write_actions(synthesized, profile):
    res = synthesized.stack.resources
    for role in _roles_of(synthesized, profile.name):
        for statement in _statements(synthesized, role):
            touched = _referenced([statement], res.tables, synthesized)
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if touched & set(profile.read_tables):
                assert not any(
                    a in actions for a in ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")
                )


@pytest.mark.parametrize("profile", PROFILES.values(), ids=lambda p: p.name)
def test_a_service_reads_only_its_own_secrets(synthesized, profile):
    res = synthesized.stack.resources
    readers = (
        [synthesized.stack.functions[profile.name].role]
        if profile.name in synthesized.stack.functions
        else []
    )
    if profile.name in synthesized.stack.workers:
        readers.append(synthesized.stack.workers[profile.name].service.task_definition.execution_role)
        # the task role itself reads no secret: ECS injects them at start
        task_role = synthesized.stack.workers[profile.name].service.task_definition.task_role
        assert _referenced(_statements(synthesized, task_role), res.secrets, synthesized) == set()
    for role in readers:
        assert _referenced(_statements(synthesized, role), res.secrets, synthesized) == set(profile.secrets)


def test_every_table_and_secret_a_profile_names_exists():
    tables = {t.name for t in TOPOLOGY.tables}
    for profile in PROFILES.values():
        assert {*profile.tables, *profile.read_tables} <= tables, profile.name
        assert set(profile.secrets) <= {s.name for s in SECRETS}, profile.name


def test_no_policy_allows_a_wildcard_action(synthesized):
    for props in synthesized.props("AWS::IAM::Policy"):
        for statement in props["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert "*" not in actions, statement
            assert not any(a.endswith(":*") for a in actions), statement
