"""Evidence-linked summaries: every claim cites evidence ids that exist, or the summary is rejected.

The deterministic templated summary is used without an API key, and whenever the model's summary
fails validation (the rejection is recorded in the summary's ``note``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agentic_common.events.observability import TokenUsage

from agentic_observability.ports import Summarizer


@dataclass(frozen=True)
class Fact:
    """One piece of evidence a summary may cite."""

    evidence_id: str
    text: str
    failed: bool = False  # a failed check or the symptom of an incident: the template cites these


@dataclass(frozen=True)
class Claim:
    text: str
    evidence_ids: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    claims: tuple[Claim, ...]
    author: str
    usage: TokenUsage | None = None
    note: str | None = None

    @property
    def text(self) -> str:
        return " ".join(f"{c.text} [{', '.join(c.evidence_ids)}]" for c in self.claims)


class UnsupportedClaimError(ValueError):
    """A claim cites nothing, or cites evidence that does not exist."""


def validate_claims(claims: Sequence[Claim], facts: Sequence[Fact]) -> None:
    known = {f.evidence_id for f in facts}
    if not claims:
        raise UnsupportedClaimError("the summary makes no claims")
    for index, claim in enumerate(claims):
        if not claim.evidence_ids:
            raise UnsupportedClaimError(f"claim {index} ({claim.text[:60]!r}) cites no evidence")
        unknown = sorted(set(claim.evidence_ids) - known)
        if unknown:
            raise UnsupportedClaimError(f"claim {index} cites evidence that does not exist: {unknown}")


class TemplatedSummarizer:
    """Deterministic: one claim per failed fact (or a single 'all met' claim citing every fact)."""

    def summarize(self, subject: str, facts: Sequence[Fact]) -> Summary:
        failing = [f for f in facts if f.failed]
        if failing:
            claims = [Claim(f"{subject}: {f.text}.", (f.evidence_id,)) for f in failing]
        elif facts:
            claims = [
                Claim(
                    f"{subject}: every objective was met ({len(facts)} checks).",
                    tuple(f.evidence_id for f in facts),
                )
            ]
        else:
            raise UnsupportedClaimError(f"nothing to summarise about {subject}: no evidence")
        validate_claims(claims, facts)
        return Summary(tuple(claims), author="template")


class CheckedSummarizer:
    """Use ``primary`` (Claude); fall back to the template if its claims are unfounded."""

    def __init__(self, primary: Summarizer, fallback: Summarizer | None = None) -> None:
        self._primary = primary
        self._fallback = fallback or TemplatedSummarizer()

    def summarize(self, subject: str, facts: Sequence[Fact]) -> Summary:
        try:
            summary = self._primary.summarize(subject, facts)
        except UnsupportedClaimError as exc:
            return self._fall_back(subject, facts, f"model summary rejected: {exc}", None)
        except ConnectionError as exc:
            return self._fall_back(subject, facts, f"model unavailable: {type(exc).__name__}", None)
        try:
            validate_claims(summary.claims, facts)
        except UnsupportedClaimError as exc:
            return self._fall_back(subject, facts, f"model summary rejected: {exc}", summary.usage)
        return summary

    def _fall_back(self, subject: str, facts: Sequence[Fact], note: str, usage: TokenUsage | None) -> Summary:
        fallback = self._fallback.summarize(subject, facts)
        return Summary(fallback.claims, fallback.author, usage=usage, note=note)
