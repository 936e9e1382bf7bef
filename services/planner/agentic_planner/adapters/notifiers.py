"""Notifier adapters: a console line plus a JSON-lines log (always), and Slack (when configured)."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from agentic_planner.ports import Notification, Notifier


class LogNotifier:
    """Prints one line to the console and appends the notification to ``notifications.jsonl``."""

    def __init__(self, log_path: Path) -> None:
        self._path = log_path
        self._lock = threading.Lock()

    def notify(self, notification: Notification) -> None:
        record = {"sent_at": datetime.now(UTC).isoformat(), **notification.model_dump()}
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self._path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
        links = " ".join(f"{k}={v}" for k, v in notification.links.items())
        sys.stdout.write(f"[notification] {notification.title} — {notification.text} {links}\n")
        sys.stdout.flush()


class SlackDeliveryError(RuntimeError):
    pass


class SlackWebhookNotifier:
    """Slack incoming webhook (slack-sdk). A non-200 answer raises, so the event is retried."""

    def __init__(self, webhook_url: str, timeout: int = 10) -> None:
        from slack_sdk.webhook import WebhookClient  # noqa: PLC0415 - imported only when Slack is configured

        self._client = WebhookClient(webhook_url, timeout=timeout)

    def notify(self, notification: Notification) -> None:
        emoji = ":white_check_mark:" if notification.status == "completed" else ":x:"
        links = "  ".join(
            f"<{url}|{name}>" for name, url in notification.links.items() if url.startswith("http")
        )
        blocks = [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"{emoji} *{notification.title}*"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": notification.text}},
        ]
        if links:
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": links}]})
        response = self._client.send(text=f"{notification.title}: {notification.text}", blocks=blocks)
        if response.status_code != 200:
            raise SlackDeliveryError(f"Slack webhook answered {response.status_code}: {response.body[:200]}")


class FanOutNotifier:
    def __init__(self, notifiers: Sequence[Notifier]) -> None:
        self._notifiers = list(notifiers)

    def notify(self, notification: Notification) -> None:
        for notifier in self._notifiers:
            notifier.notify(notification)
