"""Ranking the allowed playbooks: a model may order them and pick parameters; code validates it.

The deterministic ranking (no model, or a model answer that is unusable) orders by priority, then
smallest blast radius, then id, with each playbook's default parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import jsonschema

from agentic_remediation.logic.facts import Facts
from agentic_remediation.logic.playbook_models import Playbook
from agentic_remediation.ports import Choice, Ranker, RankingError

log = logging.getLogger(__name__)

BLAST_ORDER = {"instance": 0, "service": 1, "shared": 2}
DETERMINISTIC = "deterministic-ranking"


@dataclass(frozen=True)
class Ranking:
    choices: tuple[Choice, ...]
    ranked_by: str
    rejected: tuple[str, ...] = ()


def deterministic_order(playbooks: Sequence[Playbook]) -> list[Playbook]:
    return sorted(playbooks, key=lambda p: (p.priority, BLAST_ORDER[p.blast_radius], p.id))


class DeterministicRanker:
    name = DETERMINISTIC

    def rank(self, playbooks: Sequence[Playbook], facts: Facts) -> list[Choice]:
        return [
            Choice(p.id, p.defaults(), f"priority {p.priority}, blast radius {p.blast_radius}")
            for p in deterministic_order(playbooks)
        ]


def _checked(choice: Choice, allowed: dict[str, Playbook]) -> tuple[Choice | None, str | None]:
    playbook = allowed.get(choice.playbook_id)
    if playbook is None:
        return None, f"{choice.playbook_id!r} is not an allowed playbook for this trigger"
    values = playbook.defaults() | choice.parameters
    try:
        jsonschema.validate(values, playbook.parameters_schema())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "parameters"
        return None, f"{choice.playbook_id}: {where}: {exc.message}"
    return Choice(playbook.id, values, choice.reason), None


def validated(proposed: Sequence[Choice], playbooks: Sequence[Playbook]) -> tuple[list[Choice], list[str]]:
    """Keep proposals naming allowed playbooks with valid parameters; append the ones not mentioned."""
    allowed = {p.id: p for p in playbooks}
    kept: list[Choice] = []
    rejected: list[str] = []
    for choice in proposed:
        checked, problem = _checked(choice, allowed)
        if problem:
            rejected.append(problem)
        elif checked and checked.playbook_id not in {c.playbook_id for c in kept}:
            kept.append(checked)
    mentioned = {c.playbook_id for c in kept}
    kept += [c for c in DeterministicRanker().rank(playbooks, {}) if c.playbook_id not in mentioned]
    return kept, rejected


def rank(ranker: Ranker, playbooks: Sequence[Playbook], facts: Facts) -> Ranking:
    """Ask ``ranker``; validate its answer; fall back to the deterministic order if it fails."""
    if not playbooks:
        return Ranking((), ranker.name)
    try:
        proposed = ranker.rank(playbooks, facts)
    except RankingError as exc:
        log.warning("ranking by %s failed (%s): using the deterministic ranking", ranker.name, exc)
        return Ranking(tuple(DeterministicRanker().rank(playbooks, facts)), DETERMINISTIC, (str(exc),))
    choices, rejected = validated(proposed, playbooks)
    if rejected and len(rejected) == len(proposed):
        return Ranking(tuple(DeterministicRanker().rank(playbooks, facts)), DETERMINISTIC, tuple(rejected))
    return Ranking(tuple(choices), ranker.name, tuple(rejected))
