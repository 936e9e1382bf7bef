"""Fixtures for policy integration tests on the local AWS (moto)."""

from __future__ import annotations

from pathlib import Path

import pytest
from agentic_common.aws import AwsClients
from agentic_common.settings import CommonSettings
from agentic_policy.bootstrap import build
from agentic_policy.settings import PolicySettings
from policy_harness import CLEAN_REPO, PolicyHarness


@pytest.fixture
def clean_repo() -> dict[str, bytes]:
    return dict(CLEAN_REPO)


@pytest.fixture
def policy(
    aws_settings: CommonSettings, aws_clients: AwsClients, empty_queues: dict[str, str], tmp_path: Path
) -> PolicyHarness:
    settings = PolicySettings(
        agentic_env="test",
        aws_endpoint_url=aws_settings.aws_endpoint_url,
        agentic_home=tmp_path / "agentic-home",
    )
    consumer = build(settings)
    return PolicyHarness(consumer, aws_settings, aws_clients, empty_queues)
