"""The gate every rollout step must pass: the environment table's SLO, made stricter by a template.

``effective_gate(config, environment)`` is the one answer to "which gate applies here", asked by the
deploy worker (to judge each step) and by the approval digest (so planner and worker bind an approval
to the same gate). The table's row is the floor: a template's ``gate`` can lower the latency, lower the
error rate, ask for more requests, add p50/p99/availability objectives and name the probe path; a
weaker value is replaced by the table's. Every environment gets a gate, so no step goes unjudged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from agentic_common.environments.rules import RulesTable, SloObjective, load_rules
from agentic_common.events.observability import Slo

DEFAULT_PROBE_PATH = "/health"
_TIGHTER_IS_LOWER = ("p95_latency_ms", "max_error_rate")


class GateConfigError(ValueError):
    """A template's ``gate`` that cannot be read; the message names the field and the problem."""


@dataclass(frozen=True)
class RolloutGate:
    """What each rollout step must pass: the SLO, judged on at least ``slo.requests`` requests."""

    slo: Slo
    probe_path: str = DEFAULT_PROBE_PATH

    def as_dict(self) -> dict[str, Any]:
        return {"slo": self.slo.model_dump(exclude_none=True), "probe_path": self.probe_path}


def _template_gate(config: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """(the template's SLO values, its probe path), validated; ({}, default) when it sets no gate."""
    raw = config.get("gate")
    if raw is None:
        return {}, DEFAULT_PROBE_PATH
    if not isinstance(raw, Mapping):
        raise GateConfigError("gate must be an object with 'slo' and optionally 'probe_path'")
    unknown = sorted(set(raw) - {"slo", "probe_path"})
    if unknown:
        raise GateConfigError(f"gate has unknown field(s) {', '.join(unknown)}; expected slo, probe_path")
    slo = raw.get("slo", {})
    if not isinstance(slo, Mapping):
        raise GateConfigError("gate.slo must be an object of objectives")
    probe_path = raw.get("probe_path", DEFAULT_PROBE_PATH)
    if not isinstance(probe_path, str) or not probe_path.startswith("/"):
        raise GateConfigError("gate.probe_path must be a path starting with '/'")
    return dict(slo), probe_path


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _stricter(floor: SloObjective, template: dict[str, Any]) -> dict[str, Any]:
    """The template's objectives with the table's as the floor; a non-number is left for validation."""
    merged = dict(template)
    for name in (*_TIGHTER_IS_LOWER, "requests"):
        wanted, limit = template.get(name), getattr(floor, name)
        if wanted is None:
            merged[name] = limit
        elif _number(wanted):
            merged[name] = max(wanted, limit) if name == "requests" else min(wanted, limit)
    return merged


def effective_gate(
    config: Mapping[str, Any], environment: str, table: RulesTable | None = None
) -> RolloutGate:
    """The gate for a deploy task's ``config`` in ``environment`` (stricter of the table and the template).

    Raises ``UnknownEnvironmentError`` for an environment the table does not declare and
    ``GateConfigError`` for a template gate that cannot be read.
    """
    rules = (table or load_rules()).for_environment(environment)
    template, probe_path = _template_gate(config)
    try:
        slo = Slo.model_validate(_stricter(rules.gates.slo, template), strict=True)
    except ValidationError as exc:
        problems = "; ".join(
            f"gate.slo.{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise GateConfigError(problems) from None
    return RolloutGate(slo=slo, probe_path=probe_path)
