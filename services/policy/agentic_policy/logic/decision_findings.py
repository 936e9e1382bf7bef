"""The findings a decision keeps, and the pages ``GET /policy/decisions/<id>`` answers with.

A decision record holds its findings (the violations, most severe first, then the waived ones), at most
``MAX_KEPT`` of them and at most ``MAX_KEPT_BYTES`` of their JSON, so the record stays well inside a
DynamoDB item (400 KB; messages and remediations are clipped to 300 characters, but a file path or a
resource is not); ``findings_total`` counts them all, and the S3 report
of a repository scan holds every one. The API pages them: ``limit`` (1-100, default 50) and a ``cursor``
(the offset of the next page, as this API handed it out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agentic_common.events.policy import Violation

MAX_KEPT = 200
MAX_KEPT_BYTES = 200_000
DEFAULT_PAGE = 50
MAX_PAGE = 100


class Finding(Violation):
    """A violation as the decision recorded it: ``blocking`` under the decision's enforcement."""

    blocking: bool = False


def findings_of(
    violations: Sequence[Violation], waived: Sequence[Violation], blocking: Sequence[Violation]
) -> tuple[tuple[Finding, ...], int]:
    """The findings kept (violations, then waived ones, at most ``MAX_KEPT``) and how many there were."""
    blocks = set(blocking)
    everything = [(v, v in blocks) for v in violations] + [(w, False) for w in waived]
    kept: list[Finding] = []
    size = 0
    for violation, blocks_it in everything[:MAX_KEPT]:
        finding = Finding(**violation.model_dump(), blocking=blocks_it)
        size += len(finding.model_dump_json().encode())
        if size > MAX_KEPT_BYTES:
            break
        kept.append(finding)
    return tuple(kept), len(everything)


class InvalidPageError(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field, self.problem = field, problem


@dataclass(frozen=True)
class FindingsPage:
    findings: tuple[Finding, ...]
    next_cursor: str | None


def page_of(findings: Sequence[Finding], limit: str | None, cursor: str | None) -> FindingsPage:
    """Raises ``InvalidPageError`` naming ``limit`` or ``cursor`` for a value this API does not take."""
    size = _number(limit, "limit", DEFAULT_PAGE, 1, MAX_PAGE)
    start = _number(cursor, "cursor", 0, 0, len(findings))
    end = start + size
    return FindingsPage(tuple(findings[start:end]), str(end) if end < len(findings) else None)


def _number(text: str | None, field: str, default: int, low: int, high: int) -> int:
    if text is None:
        return default
    if not (text.isascii() and text.isdigit() and len(text) <= 6) or not low <= int(text) <= high:
        what = "a page size" if field == "limit" else "a cursor this API returned"
        raise InvalidPageError(field, f"must be {what}: a whole number from {low} to {high}")
    return int(text)
