"""A fingerprint repeated within one Alertmanager webhook is one alert: written once, the rest counted."""

from __future__ import annotations

from datetime import UTC, datetime

from agentic_observability.adapters.tables import MemoryAlertLedger
from agentic_observability.logic.alerts import AlertmanagerWebhook, intake

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


class CountingLedger(MemoryAlertLedger):
    def __init__(self) -> None:
        super().__init__()
        self.opened = 0

    def open(self, fingerprint: str, service: str, ttl_seconds: int) -> bool:
        self.opened += 1
        return super().open(fingerprint, service, ttl_seconds)


def webhook(fingerprints: list[str]) -> AlertmanagerWebhook:
    alerts = [
        {
            "status": "firing",
            "fingerprint": f,
            "startsAt": "2026-12-03T09:59:00Z",
            "labels": {"service": "orders"},
        }
        for f in fingerprints
    ]
    return AlertmanagerWebhook.model_validate({"status": "firing", "alerts": alerts})


def test_a_fingerprint_repeated_in_one_webhook_is_written_once_and_the_repeats_counted() -> None:
    # Given a webhook that repeats one fingerprint 500 times beside another alert
    ledger = CountingLedger()
    # When it is taken in
    result = intake(webhook(["a"] * 500 + ["b"]), ledger, [], NOW, 3600)
    # Then the ledger is written once per distinct alert, and the repeats count as duplicates
    assert (ledger.opened, result.new, result.duplicates) == (2, 2, 499)
