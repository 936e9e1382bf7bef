"""Evidence-linked summaries: every claim must cite evidence that exists."""

from __future__ import annotations

import pytest
from agentic_observability.logic.summary import (
    CheckedSummarizer,
    Claim,
    Fact,
    Summary,
    TemplatedSummarizer,
    UnsupportedClaimError,
    validate_claims,
)

FACTS = [
    Fact("probe:p95_latency_ms", "p95_latency_ms = 812 (threshold 500, FAILED; probe)", failed=True),
    Fact("probe:error_rate", "error_rate = 0 (threshold 0.01, met; probe: GET /health x20)"),
]


class ScriptedModel:
    def __init__(self, claims: tuple[Claim, ...]) -> None:
        self.claims = claims

    def summarize(self, subject: str, facts) -> Summary:
        return Summary(self.claims, author="claude:test")


def test_the_template_cites_each_failed_check():
    summary = TemplatedSummarizer().summarize("deployment dep-1", FACTS)
    assert summary.author == "template"
    assert [c.evidence_ids for c in summary.claims] == [("probe:p95_latency_ms",)]
    assert summary.text.endswith("[probe:p95_latency_ms]")


def test_the_template_is_deterministic():
    assert TemplatedSummarizer().summarize("x", FACTS) == TemplatedSummarizer().summarize("x", FACTS)


@pytest.mark.parametrize(
    ("claim", "problem"),
    [
        (Claim("latency was fine", ()), "cites no evidence"),
        (Claim("the database is down", ("db:health",)), "does not exist"),
    ],
)
def test_unfounded_claims_are_rejected(claim: Claim, problem: str):
    with pytest.raises(UnsupportedClaimError, match=problem):
        validate_claims([claim], FACTS)


def test_a_model_summary_with_a_made_up_citation_falls_back_to_the_template():
    model = ScriptedModel((Claim("p95 too slow", ("probe:p95_latency_ms",)), Claim("CPU starved", ("cpu",))))
    summary = CheckedSummarizer(model).summarize("deployment dep-1", FACTS)
    assert summary.author == "template"
    assert "does not exist" in (summary.note or "")


def test_a_model_summary_citing_real_evidence_is_kept():
    model = ScriptedModel((Claim("p95 breached its SLO", ("probe:p95_latency_ms",)),))
    summary = CheckedSummarizer(model).summarize("deployment dep-1", FACTS)
    assert summary.author == "claude:test"
