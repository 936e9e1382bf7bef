"""A trigger → the playbook to run, its parameters and its planned actions (tiers from policy)."""

from __future__ import annotations

from dataclasses import dataclass

from agentic_common.events import EventDetail

from agentic_remediation.logic.catalogue import Catalogue
from agentic_remediation.logic.evidence import held_back
from agentic_remediation.logic.facts import Facts, Target, facts_of, target_of, trigger_key
from agentic_remediation.logic.matching import candidates
from agentic_remediation.logic.planning import PlannedAction, plan
from agentic_remediation.logic.playbook_models import Playbook
from agentic_remediation.logic.ranking import DeterministicRanker, Ranking, rank
from agentic_remediation.logic.tiers import TierPolicy
from agentic_remediation.ports import Choice, Ranker


@dataclass(frozen=True)
class Decision:
    playbook: Playbook
    choice: Choice
    ranking: Ranking
    actions: tuple[PlannedAction, ...]
    target: Target | None
    facts: Facts


@dataclass(frozen=True)
class Decider:
    catalogue: Catalogue
    tiers: TierPolicy
    ranker: Ranker

    def decide(self, detail: EventDetail) -> Decision | None:
        """None when no playbook answers this trigger (or another event covers it)."""
        facts = facts_of(detail)
        found = candidates(self.catalogue.for_event(detail.DETAIL_TYPE), facts)
        if not found:
            return None
        # One candidate needs no ranking: the model is only asked when there is a choice to make.
        ranking = rank(self.ranker if len(found) > 1 else DeterministicRanker(), found, facts)
        choice = ranking.choices[0]
        playbook = next(p for p in found if p.id == choice.playbook_id)
        target = target_of(detail)
        actions = plan(
            playbook, choice.parameters, target, trigger_key(detail), self.tiers, held_back=held_back(detail)
        )
        return Decision(playbook, choice, ranking, actions, target, facts)
