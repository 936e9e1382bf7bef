"""What one check says about one rendered combination."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from agentic_checks.findings import Finding


@dataclass(frozen=True)
class Outcome:
    status: str  # pass | fail | n/a
    problems: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return self.status != "fail"


NOT_APPLICABLE = Outcome("n/a")


def from_problems(problems: Iterable[str]) -> Outcome:
    listed = tuple(problems)
    return Outcome("fail" if listed else "pass", listed)


def describe(finding: Finding) -> str:
    where = f"{finding.file}:{finding.line}" if finding.line else finding.file
    return f"{finding.severity} {finding.check} {where} {finding.resource or ''} {finding.message}".strip()
