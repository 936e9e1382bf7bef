"""Ports the policy logic needs beyond libs/common (the artifact store port lives there)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from agentic_policy.logic.records import ViolationRecord


class ViolationRecorder(Protocol):
    def record(self, records: Sequence[ViolationRecord]) -> None:
        """Store each record, overwriting one with the same (violation_id, timestamp)."""
