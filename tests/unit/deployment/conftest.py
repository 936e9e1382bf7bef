"""Fixtures for the deployment unit tests."""

from __future__ import annotations

import pytest
from agentic_deployment.adapters.history_memory import InMemoryDeploymentHistory
from deployment_fakes import FakeDeployTarget


@pytest.fixture
def target() -> FakeDeployTarget:
    return FakeDeployTarget()


@pytest.fixture
def history() -> InMemoryDeploymentHistory:
    return InMemoryDeploymentHistory()
