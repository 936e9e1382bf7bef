"""In-memory deployment history: the shared record's in-process adapter (libs/common)."""

from __future__ import annotations

from agentic_common.records.deployments_memory import InMemoryDeploymentHistory

__all__ = ["InMemoryDeploymentHistory"]
