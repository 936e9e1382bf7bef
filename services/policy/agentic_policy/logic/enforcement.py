"""Enforcement by environment: which severities block a workflow. The one place thresholds live.

dev is advisory (violations are reported and recorded, never block), staging blocks high and
critical, prod blocks medium and above.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from agentic_common.events.policy import Severity, Violation

SEVERITY_ORDER: tuple[Severity, ...] = ("low", "medium", "high", "critical")

BLOCKING_SEVERITIES: Mapping[str, frozenset[Severity]] = {
    "dev": frozenset(),
    "staging": frozenset({"high", "critical"}),
    "prod": frozenset({"medium", "high", "critical"}),
}


class UnknownEnvironmentError(ValueError):
    """The task names an environment this module has no enforcement level for."""


def blocking_severities(environment: str) -> frozenset[Severity]:
    try:
        return BLOCKING_SEVERITIES[environment]
    except KeyError:
        known = ", ".join(BLOCKING_SEVERITIES)
        raise UnknownEnvironmentError(
            f"no policy enforcement level for environment {environment!r}; expected one of: {known}"
        ) from None


def is_blocking(violation: Violation, environment: str) -> bool:
    return violation.severity in blocking_severities(environment)


def blocking_violations(violations: Iterable[Violation], environment: str) -> tuple[Violation, ...]:
    blocking = blocking_severities(environment)
    return tuple(v for v in violations if v.severity in blocking)


def severity_rank(severity: Severity) -> int:
    """0 for low up to 3 for critical (sort with ``-severity_rank`` for the most severe first)."""
    return SEVERITY_ORDER.index(severity)
