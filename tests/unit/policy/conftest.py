"""Fixtures for the policy unit tests: repository file maps, tarballs and task events."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from agentic_common.artifact_store import InMemoryArtifactStore
from agentic_common.events.tasks import TaskCreated
from agentic_policy.adapters.memory_recorder import InMemoryViolationRecorder
from agentic_policy.adapters.memory_stores import InMemoryDecisionStore, InMemoryWaiverStore
from agentic_policy.logic.evaluate import PolicyEngine
from agentic_policy.logic.service import PolicyService

CLEAN_DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM python:3.11.10-slim AS build
WORKDIR /build
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install \\
    -r requirements.txt

FROM python:3.11.10-slim
RUN useradd --create-home --uid 10001 app
COPY --from=build /install /usr/local
COPY app/ /srv/app/
WORKDIR /srv
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \\
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
"""

CLEAN_REQUIREMENTS = """\
# runtime dependencies
fastapi==0.115.6
uvicorn[standard]==0.32.1
pydantic==2.10.3  # validated models
psycopg[binary]==3.2.3
"""

CLEAN_MAIN = '''\
"""payments-api: a FastAPI service."""

import os

from fastapi import FastAPI

app = FastAPI(title="payments-api")
DATABASE_URL = os.environ["DATABASE_URL"]


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
'''

CLEAN_CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  description: Payments API
spec:
  type: service
  lifecycle: experimental
  owner: team-payments
"""


def clean_files() -> dict[str, bytes]:
    return {
        "Dockerfile": CLEAN_DOCKERFILE.encode(),
        "requirements.txt": CLEAN_REQUIREMENTS.encode(),
        "requirements-dev.txt": b"-r requirements.txt\npytest==8.3.4\n",
        "app/__init__.py": b"",
        "app/main.py": CLEAN_MAIN.encode(),
        "tests/test_health.py": b"def test_health():\n    assert True\n",
        "README.md": b"# payments-api\n\nRun it with `uvicorn app.main:app`.\n",
        "catalog-info.yaml": CLEAN_CATALOG.encode(),
        ".env.example": b"DATABASE_URL=postgresql://localhost/payments\n",
        ".gitignore": b".env\n__pycache__/\n",
    }


@pytest.fixture
def clean_repo() -> dict[str, bytes]:
    """A small FastAPI service repository that satisfies every rule."""
    return clean_files()


def build_tarball(files: Mapping[str, bytes], prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, content in files.items():
            info = tarfile.TarInfo(prefix + path)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


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
            "task_id": "policy",
            "agent": "policy",
            "action": "scan-repository",
            "attempt": 1,
            "timeout_seconds": 300,
            "template": "microservice-postgres",
            "parameters": {"serviceName": "payments-api", "environment": environment},
            "upstream": {"codegen": codegen},
        }
        return TaskCreated(**(fields | overrides))

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
