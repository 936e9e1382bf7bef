"""One suite for both AuditLog adapters (file and in-memory), so the fake cannot drift."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from agentic_remediation.adapters.audit_log import FileAuditLog, InMemoryAuditLog
from agentic_remediation.ports import AuditEntry


def _entry(recommendation_id: str) -> AuditEntry:
    return AuditEntry(
        recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
        recommendation_id=recommendation_id,
        workflow_id="wf-1",
        task_id="policy",
        tier="advisory",
        playbook="fix-policy-violations",
        trigger="policy.violated",
        trigger_event_id="evt-1",
    )


@pytest.fixture(params=["file", "memory"])
def audit_log(request: pytest.FixtureRequest, tmp_path: Path) -> FileAuditLog | InMemoryAuditLog:
    return FileAuditLog.under(tmp_path / "home") if request.param == "file" else InMemoryAuditLog()


def test_entries_come_back_in_the_order_they_were_appended(
    audit_log: FileAuditLog | InMemoryAuditLog,
) -> None:
    # When
    audit_log.append(_entry("rec-1"))
    audit_log.append(_entry("rec-2"))
    # Then
    assert [e.recommendation_id for e in audit_log.entries()] == ["rec-1", "rec-2"]


def test_a_new_log_is_empty(audit_log: FileAuditLog | InMemoryAuditLog) -> None:
    assert audit_log.entries() == []


def test_the_file_log_writes_one_json_object_per_line_under_agentic_home(tmp_path: Path) -> None:
    # Given
    log = FileAuditLog.under(tmp_path)
    # When
    log.append(_entry("rec-1"))
    log.append(_entry("rec-2"))
    # Then
    lines = (tmp_path / "remediation-audit.jsonl").read_text().splitlines()
    assert [json.loads(line)["recommendation_id"] for line in lines] == ["rec-1", "rec-2"]
    assert set(json.loads(lines[0])) == {
        "recorded_at",
        "recommendation_id",
        "workflow_id",
        "task_id",
        "tier",
        "playbook",
        "trigger",
        "trigger_event_id",
    }
