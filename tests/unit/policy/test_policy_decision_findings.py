"""What a decision keeps of its findings: bounded in count and bytes, most severe first, blocking marked."""

from __future__ import annotations

from agentic_common.events.policy import Violation
from agentic_policy.logic.decision_findings import MAX_KEPT, MAX_KEPT_BYTES, findings_of


def violation(rule: str, file: str = "Dockerfile") -> Violation:
    return Violation(
        rule=rule, severity="high", category="security", message=f"{rule} found", file=file, line=1
    )


def test_violations_come_before_waived_ones_and_blocking_is_marked() -> None:
    # Given a blocking violation, a non-blocking one and a waived one
    blocking, warning = violation("DOCKER-001"), violation("DOCKER-002")
    waived = violation("DOCKER-003").model_copy(update={"waiver_id": "wvr-1"})

    # When the decision's findings are kept
    kept, total = findings_of([blocking, warning], [waived], [blocking])

    # Then all three are kept in that order, the blocking one marked
    assert [(f.rule, f.blocking, f.waiver_id) for f in kept] == [
        ("DOCKER-001", True, None),
        ("DOCKER-002", False, None),
        ("DOCKER-003", False, "wvr-1"),
    ]
    assert total == 3


def test_no_more_than_max_kept_findings_are_kept_and_the_total_counts_all() -> None:
    # Given more findings than a decision keeps
    many = [violation(f"R-{i}") for i in range(MAX_KEPT + 30)]

    # When kept
    kept, total = findings_of(many, [], [])

    # Then the first MAX_KEPT are, and the total says how many there were
    assert [f.rule for f in kept] == [f"R-{i}" for i in range(MAX_KEPT)]
    assert total == MAX_KEPT + 30


def test_findings_with_long_paths_stop_before_the_record_outgrows_its_budget() -> None:
    # Given findings whose file paths are 4,000 characters each
    long = [violation(f"R-{i}", file="d/" * 2000) for i in range(150)]

    # When kept
    kept, total = findings_of(long, [], [])

    # Then fewer than all are kept, their JSON within the budget, and the total still counts all
    assert 0 < len(kept) < 150
    assert sum(len(f.model_dump_json().encode()) for f in kept) <= MAX_KEPT_BYTES
    assert total == 150
