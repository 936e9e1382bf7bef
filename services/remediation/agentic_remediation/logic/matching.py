"""Which playbooks a trigger's facts select: every ``match`` condition holds and no ``unless`` one does.

A list condition holds when the fact equals one of its values (or, for a list fact, shares one);
``{min, max}`` bounds a number; ``{exists: bool}`` tests presence. A missing fact never matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentic_remediation.logic.facts import Facts
from agentic_remediation.logic.playbook_models import Condition, Playbook


def _bounded(value: Any, condition: Mapping[str, float | bool]) -> bool:
    if "exists" in condition and bool(condition["exists"]) is False:
        return value is None
    if value is None:
        return False
    if "min" in condition or "max" in condition:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        low, high = condition.get("min"), condition.get("max")
        return (low is None or value >= low) and (high is None or value <= high)
    return True


def holds(condition: Condition, value: Any) -> bool:
    if isinstance(condition, dict):
        return _bounded(value, condition)
    if value is None:
        return False
    values = value if isinstance(value, list | tuple | set | frozenset) else [value]
    return any(item == allowed and type(item) is type(allowed) for item in values for allowed in condition)


def selects(playbook: Playbook, facts: Facts) -> bool:
    trigger = playbook.trigger
    if facts.get("event") != trigger.event:
        return False
    if not all(holds(cond, facts.get(name)) for name, cond in trigger.match.items()):
        return False
    return not any(holds(cond, facts.get(name)) for name, cond in trigger.unless.items())


def candidates(playbooks: tuple[Playbook, ...], facts: Facts) -> tuple[Playbook, ...]:
    return tuple(p for p in playbooks if selects(p, facts))
