"""In-memory waiver and decision stores (unit tests, the CLI, the benchmark); same semantics as DynamoDB."""

from __future__ import annotations

from agentic_policy.logic.decisions import DecisionRecord
from agentic_policy.logic.waivers import Waiver


class InMemoryWaiverStore:
    def __init__(self) -> None:
        self.items: dict[str, Waiver] = {}

    def put(self, waiver: Waiver) -> Waiver:
        return self.items.setdefault(waiver.waiver_id, waiver)

    def get(self, waiver_id: str) -> Waiver | None:
        return self.items.get(waiver_id)

    def replace(self, waiver: Waiver, expected_status: str) -> bool:
        stored = self.items.get(waiver.waiver_id)
        if stored is None or stored.status != expected_status:
            return False
        self.items[waiver.waiver_id] = waiver
        return True

    def for_repository(self, repository: str) -> list[Waiver]:
        return [w for w in self.items.values() if w.repository == repository]

    def list(self, repository: str | None = None) -> list[Waiver]:
        waivers = self.for_repository(repository) if repository else list(self.items.values())
        return sorted(waivers, key=lambda w: w.created_at, reverse=True)


class InMemoryDecisionStore:
    def __init__(self) -> None:
        self.items: dict[str, DecisionRecord] = {}

    def put(self, decision: DecisionRecord) -> None:
        self.items[decision.decision_id] = decision

    def get(self, decision_id: str) -> DecisionRecord | None:
        return self.items.get(decision_id)
