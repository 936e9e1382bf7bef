"""Ports the policy logic needs beyond libs/common (the artifact store port lives there)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from agentic_policy.logic.decision_cache import CachedRun
from agentic_policy.logic.decisions import DecisionRecord
from agentic_policy.logic.records import ViolationRecord
from agentic_policy.logic.waivers import Waiver


class ViolationRecorder(Protocol):
    def record(self, records: Sequence[ViolationRecord]) -> None:
        """Store each record, overwriting one with the same (violation_id, timestamp)."""


class WaiverStore(Protocol):
    def put(self, waiver: Waiver) -> Waiver:
        """Store the waiver (idempotent on waiver_id: the stored one is returned)."""

    def get(self, waiver_id: str) -> Waiver | None: ...

    def replace(self, waiver: Waiver, expected_status: str) -> bool:
        """Store ``waiver`` over the stored one if that one's status is ``expected_status`` (else False)."""

    def for_repository(self, repository: str) -> list[Waiver]:
        """Every waiver of the repository, expired ones included (the caller decides)."""

    def list(self, repository: str | None = None) -> list[Waiver]:
        """Every waiver, or those of one repository, newest first."""


class DecisionStore(Protocol):
    def put(self, decision: DecisionRecord) -> None: ...

    def get(self, decision_id: str) -> DecisionRecord | None: ...


class MergeRequestCommenter(Protocol):
    """The part of the Git host port (``agentic_common.git.GitHost``) policy uses."""

    def comment(self, project: str, merge_request_iid: int, body: str) -> None: ...


class DecisionCache(Protocol):
    """What the engines found for an input key (``logic.decision_cache.cache_key``)."""

    def get(self, key: str) -> CachedRun | None: ...

    def put(self, key: str, run: CachedRun) -> None: ...
