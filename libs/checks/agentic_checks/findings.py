"""The one shape every check reports in: a Finding, plus severity ordering helpers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info=0 ... critical=4


@dataclass(frozen=True)
class Finding:
    """One problem found by one tool in one file."""

    check: str  # "CKV_AWS_18", "DL3008", "k8s-schema", "gitlab-ci-schema", "secret:AWS Access Key", rule id
    # checkov | hadolint | kubernetes-validate | gitlab-ci-schema | detect-secrets | rego | helm | openapi
    tool: str
    severity: str  # critical | high | medium | low | info
    message: str
    file: str
    line: int | None = None
    resource: str | None = None
    remediation: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in _RANK:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

    def at_least(self, severity: str) -> bool:
        """True when this finding is as severe as ``severity`` or more."""
        return severity_rank(self.severity) >= severity_rank(severity)


def severity_rank(severity: str) -> int:
    """info=0, low=1, medium=2, high=3, critical=4; unknown names raise ValueError."""
    try:
        return _RANK[severity.lower()]
    except KeyError:
        raise ValueError(f"unknown severity {severity!r}; expected one of {SEVERITIES}") from None


def normalise_severity(raw: str | None, default: str = "medium") -> str:
    """Map a tool's own severity word (ERROR, WARNING, HIGH, style...) to ours."""
    if not raw:
        return default
    word = raw.strip().lower()
    aliases = {"error": "high", "warning": "medium", "warn": "medium", "style": "low", "information": "info"}
    word = aliases.get(word, word)
    return word if word in _RANK else default


def at_or_above(findings: Iterable[Finding], severity: str) -> list[Finding]:
    """The findings as severe as ``severity`` or more."""
    return [finding for finding in findings if finding.at_least(severity)]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by file, line and check for a stable report."""
    return sorted(findings, key=lambda f: (-severity_rank(f.severity), f.file, f.line or 0, f.check))
