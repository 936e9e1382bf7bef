"""What a rule is: an id, a severity, a category, a description, a remediation and a check function."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from agentic_common.events.policy import Severity, Violation

from agentic_policy.logic.repo import Repo


@dataclass(frozen=True)
class Finding:
    """One place where a rule's check failed; the rule turns it into a ``Violation``."""

    message: str
    file: str | None = None
    line: int | None = None


Check = Callable[[Repo], Iterable[Finding]]
MAX_MESSAGE_CHARS = 300  # messages quote repository text; keep events and table items small


def clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    category: str
    description: str
    remediation: str
    check: Check

    @property
    def title(self) -> str:
        """What ``Violation.rule`` carries, e.g. ``DOCKER-001 base-image-pinned``."""
        return f"{self.id} {self.name}"

    def evaluate(self, repo: Repo) -> list[Violation]:
        return [
            Violation(
                rule=self.title,
                severity=self.severity,
                category=self.category,
                message=clip(finding.message),
                file=finding.file,
                line=finding.line,
                remediation=self.remediation,
            )
            for finding in self.check(repo)
        ]


def rule_id(violation: Violation) -> str:
    """The id part of ``Violation.rule`` (``DOCKER-001`` from ``DOCKER-001 base-image-pinned``)."""
    return violation.rule.split(" ", 1)[0]
