"""Fixtures for the policy unit tests: repository file maps, tarballs and task events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.events.tasks import TaskCreated
from agentic_policy.adapters.memory.recorder import InMemoryViolationRecorder
from agentic_policy.adapters.memory.stores import InMemoryDecisionStore, InMemoryWaiverStore
from agentic_policy.logic.evaluate import PolicyEngine
from agentic_policy.logic.service import PolicyService
from policy_unit_fixtures import build_tarball, clean_files

from tests.helpers import task_created


@pytest.fixture
def clean_repo() -> dict[str, bytes]:
    """A small FastAPI service repository that satisfies every rule."""
    return clean_files()


@pytest.fixture
def tarball() -> Callable[..., bytes]:
    return build_tarball


@pytest.fixture
def artifacts() -> InMemoryArtifactStore:
    return InMemoryArtifactStore(bucket="agentic-test-agent-artifacts")


@pytest.fixture
def recorder() -> InMemoryViolationRecorder:
    return InMemoryViolationRecorder()


@pytest.fixture
def make_task(artifacts: InMemoryArtifactStore) -> Callable[..., TaskCreated]:
    """A policy task for ``files`` (stored in ``artifacts``), in ``environment``."""

    def make(files: Mapping[str, bytes], environment: str = "prod", **overrides: Any) -> TaskCreated:
        workflow_id = overrides.pop("workflow_id", "wf-unit-1")
        ref = artifacts.put(f"{workflow_id}/repo.tar.gz", build_tarball(files))
        codegen = {
            "service_name": "payments-api",
            "repo_url": "file:///repos/payments-api.git",
            "commit": "0" * 40,
            "branch": "main",
            "artifact": ref.model_dump(mode="json"),
            "files": len(files),
        }
        fields: dict[str, Any] = {
            "workflow_id": workflow_id,
            "timeout_seconds": 300,
            "template": "microservice-postgres",
            "parameters": {"serviceName": "payments-api", "environment": environment},
            "upstream": {"codegen": codegen},
        }
        return task_created("policy", **(fields | overrides))

    return make


@pytest.fixture(scope="session")
def engine() -> PolicyEngine:
    """One engine for the session: the Rego bundle compiles once and checkov is imported once."""
    return PolicyEngine()


@pytest.fixture
def waivers() -> InMemoryWaiverStore:
    return InMemoryWaiverStore()


@pytest.fixture
def decisions() -> InMemoryDecisionStore:
    return InMemoryDecisionStore()


@pytest.fixture
def service(
    engine: PolicyEngine, waivers: InMemoryWaiverStore, decisions: InMemoryDecisionStore
) -> PolicyService:
    return PolicyService(engine=engine, waivers=waivers, decisions=decisions)
