"""Enforcement by environment: which severities block. The one place thresholds live.

Defaults: dev advisory (report, never block), staging blocks high and critical, prod blocks medium and
above. ``Enforcement.parse("dev=none,staging=high,prod=medium")`` reads the ``POLICY_ENFORCEMENT``
setting; any environment may be added (``qa=critical``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from agentic_common.events.policy import Severity, Violation

SEVERITY_ORDER: tuple[Severity, ...] = ("low", "medium", "high", "critical")
DEFAULT_THRESHOLDS: Mapping[str, Severity | None] = {"dev": None, "staging": "high", "prod": "medium"}
MODE_NAMES = {None: "advisory", "high": "enforced", "medium": "strict"}


class UnknownEnvironmentError(ValueError):
    """An environment with no enforcement level."""


def severity_rank(severity: Severity) -> int:
    """0 for low up to 3 for critical (sort with ``-severity_rank`` for the most severe first)."""
    return SEVERITY_ORDER.index(severity)


@dataclass(frozen=True)
class Enforcement:
    thresholds: Mapping[str, Severity | None] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))

    @classmethod
    def parse(cls, text: str) -> Enforcement:
        thresholds: dict[str, Severity | None] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            env, sep, level = part.partition("=")
            level = level.strip().lower()
            if not sep or not env.strip() or level not in {"none", *SEVERITY_ORDER}:
                raise ValueError(
                    f"POLICY_ENFORCEMENT entry {part!r}: expected env=none|low|medium|high|critical"
                )
            thresholds[env.strip()] = None if level == "none" else level  # type: ignore[assignment]
        if not thresholds:
            raise ValueError("POLICY_ENFORCEMENT is empty; e.g. dev=none,staging=high,prod=medium")
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
