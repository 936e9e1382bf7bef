"""Notification channels: a console line plus a JSON-lines log (always), and Slack (when configured).

Each channel sends once and raises ``DeliveryError`` with the far end's answer; retrying, the
once-only rule and recording the outcome are the delivery logic's (``logic.delivery``). Slack's SDK
(its Block Kit models, its webhook client) is imported by the first notification, not with the channels:
most events the planner handles notify nobody, so its cold start does not pay for it.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentic_planner.ports import DeliveryError, Notification

MAX_ANSWER_CHARS = 200


def _payload(notification: Notification, channel: str, not_done: str) -> dict[str, Any]:
    """The Block Kit payload (``text`` and ``blocks``); blocks Slack would refuse are not retryable."""
    from slack_sdk.errors import SlackObjectFormationError  # noqa: PLC0415 - see the module doc

    from agentic_planner.adapters.slack_blocks import payload_for  # noqa: PLC0415

    try:
        return payload_for(notification)
    except SlackObjectFormationError as exc:
        raise DeliveryError(channel, f"invalid blocks, {not_done} ({exc})", retryable=False) from None


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
        slack = _payload(notification, self.channel, "not written")
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
        payload = _payload(notification, self.channel, "not sent")
        try:
            response = self._client.send(text=payload["text"], blocks=payload["blocks"])
        except OSError as exc:  # urllib's URLError, a timeout, a refused connection
            raise DeliveryError(self.channel, f"unreachable ({type(exc).__name__})", retryable=True) from None
        if response.status_code != 200:
            answer = f"{response.status_code} {response.body[:MAX_ANSWER_CHARS]}".strip()
            retryable = response.status_code >= 500 or response.status_code == 429
            raise DeliveryError(self.channel, answer, retryable=retryable)
