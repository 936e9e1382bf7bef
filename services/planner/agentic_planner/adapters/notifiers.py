"""Notification channels: a console line plus a JSON-lines log (always), and Slack (when configured).

Each channel sends once and raises ``DeliveryError`` with the far end's answer; retrying, the
once-only rule and recording the outcome are the delivery logic's (``logic.delivery``).
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from slack_sdk.errors import SlackObjectFormationError

from agentic_planner.adapters.slack_blocks import payload_for
from agentic_planner.ports import DeliveryError, Notification

MAX_ANSWER_CHARS = 200


class LogNotifier:
    """Prints one line to the console and appends the notification to ``notifications.jsonl``.

    Each JSON line holds the notification's fields and ``slack``: the exact Block Kit payload the
    Slack channel posts (``text`` and ``blocks``), so what Slack would show can be read locally.
    """

    channel = "log"

    def __init__(self, log_path: Path) -> None:
        self._path = log_path
        self._lock = threading.Lock()

    def notify(self, notification: Notification) -> None:
        try:
            slack = payload_for(notification)
        except SlackObjectFormationError as exc:
            raise DeliveryError(
                self.channel, f"invalid blocks, not written ({exc})", retryable=False
            ) from None
        record = {"sent_at": datetime.now(UTC).isoformat(), **notification.model_dump(), "slack": slack}
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self._path.open("a", encoding="utf-8") as log:
                log.write(json.dumps(record) + "\n")
        except OSError as exc:
            raise DeliveryError(
                self.channel, f"cannot write the log ({exc.strerror})", retryable=True
            ) from None
        links = " ".join(f"{k}={v}" for k, v in {**notification.links, **notification.actions}.items())
        sys.stdout.write(f"[notification] {notification.title} — {notification.text} {links}\n")
        sys.stdout.flush()


class SlackWebhookNotifier:
    """Slack incoming webhook (slack-sdk). 5xx, 429 and no connection are retryable; other answers are not."""

    channel = "slack"

    def __init__(self, webhook_url: str, timeout: int = 10) -> None:
        from slack_sdk.webhook import WebhookClient  # noqa: PLC0415 - imported only when Slack is configured

        # no retry handlers: the delivery logic retries, with its own bound
        self._client = WebhookClient(webhook_url, timeout=timeout, retry_handlers=[])

    def notify(self, notification: Notification) -> None:
        try:
            payload = payload_for(notification)
        except SlackObjectFormationError as exc:
            raise DeliveryError(self.channel, f"invalid blocks, not sent ({exc})", retryable=False) from None
        try:
            response = self._client.send(text=payload["text"], blocks=payload["blocks"])
        except OSError as exc:  # urllib's URLError, a timeout, a refused connection
            raise DeliveryError(self.channel, f"unreachable ({type(exc).__name__})", retryable=True) from None
        if response.status_code != 200:
            answer = f"{response.status_code} {response.body[:MAX_ANSWER_CHARS]}".strip()
            retryable = response.status_code >= 500 or response.status_code == 429
            raise DeliveryError(self.channel, answer, retryable=retryable)
