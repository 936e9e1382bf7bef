"""Enforcement by environment: which severities block, from the one environment table.

The levels come from ``agentic_common.environments`` (``rules.json``: dev ``none`` = advisory, staging
blocks high and critical, prod blocks medium and above). ``Enforcement.parse(text)`` reads the
``POLICY_ENFORCEMENT`` setting (``staging=medium,prod=low``), which may only make a level *stricter*:
a value that would block less than the table, or an environment the table does not declare, is
refused at start with a message naming the setting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from agentic_common.environments import RulesTable, UnknownEnvironmentError, load_rules, stricter_threshold
from agentic_common.environments.rules import Threshold
from agentic_common.events.policy import Severity, Violation

SEVERITY_ORDER: tuple[Severity, ...] = ("low", "medium", "high", "critical")
MODE_NAMES = {None: "advisory", "high": "enforced", "medium": "strict"}
LEVELS: dict[str, Threshold] = {
    "none": "none",
    "low": "low",
    "medium": "medium",
    "high": "high",
    "critical": "critical",
}


def table_thresholds(table: RulesTable | None = None) -> dict[str, Severity | None]:
    """Each environment's threshold as the table declares it (``none`` → None: advisory)."""
    rows = (table or load_rules()).environments
    return {env: _severity(row.policy.enforcement) for env, row in rows.items()}


def _severity(level: Threshold) -> Severity | None:
    return None if level == "none" else level


def _level(threshold: Severity | None) -> Threshold:
    return "none" if threshold is None else threshold


def severity_rank(severity: Severity) -> int:
    """0 for low up to 3 for critical (sort with ``-severity_rank`` for the most severe first)."""
    return SEVERITY_ORDER.index(severity)


@dataclass(frozen=True)
class Enforcement:
    thresholds: Mapping[str, Severity | None] = field(default_factory=table_thresholds)

    @classmethod
    def parse(cls, text: str, table: RulesTable | None = None) -> Enforcement:
        """The table's levels, made stricter by ``POLICY_ENFORCEMENT`` (empty: the table as it is)."""
        thresholds = table_thresholds(table)
        for part in filter(None, (p.strip() for p in text.split(","))):
            env, sep, raw = part.partition("=")
            env, level = env.strip(), LEVELS.get(raw.strip().lower())
            if not sep or not env or level is None:
                raise ValueError(
                    f"POLICY_ENFORCEMENT entry {part!r}: expected env=none|low|medium|high|critical"
                )
            if env not in thresholds:
                raise ValueError(
                    f"POLICY_ENFORCEMENT entry {part!r}: the environment table declares no {env!r} "
                    f"(known: {', '.join(thresholds)}); add a row to agentic_common/environments/rules.json"
                )
            table_level = _level(thresholds[env])
            if stricter_threshold(table_level, level) != level:
                raise ValueError(
                    f"POLICY_ENFORCEMENT entry {part!r} would block less than the environment table "
                    f"({env}={table_level}); the setting may only make a level stricter "
                    "(order: none < critical < high < medium < low)"
                )
            thresholds[env] = _severity(level)
        return cls(thresholds)

    def threshold(self, environment: str) -> Severity | None:
        try:
            return self.thresholds[environment]
        except KeyError:
            known = ", ".join(self.thresholds)
            raise UnknownEnvironmentError(
                f"no policy enforcement level for environment {environment!r}; expected one of: {known}"
            ) from None

    def mode(self, environment: str) -> str:
        threshold = self.threshold(environment)
        return MODE_NAMES.get(threshold, f"blocks {threshold}+")

    def blocking_severities(self, environment: str) -> frozenset[Severity]:
        threshold = self.threshold(environment)
        if threshold is None:
            return frozenset()
        return frozenset(SEVERITY_ORDER[severity_rank(threshold) :])

    def is_blocking(self, violation: Violation, environment: str) -> bool:
        return violation.severity in self.blocking_severities(environment)

    def blocking(self, violations: Iterable[Violation], environment: str) -> tuple[Violation, ...]:
        blocking = self.blocking_severities(environment)
        return tuple(v for v in violations if v.severity in blocking)


DEFAULT_ENFORCEMENT = Enforcement()


def blocking_severities(environment: str) -> frozenset[Severity]:
    return DEFAULT_ENFORCEMENT.blocking_severities(environment)
