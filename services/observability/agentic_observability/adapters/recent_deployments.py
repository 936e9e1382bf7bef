"""Every live deployment record, read whole once per ``refresh_every`` and topped up from the day index.

Between full reads, each call reads only the records of today and yesterday (UTC, by their
``timestamp``): a record written later than a day after its timestamp waits for the next full read.
Records past their ``expires_at`` are dropped as the table's TTL would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from agentic_common.records.deployments import DeploymentHistory, DeploymentRecord, sort_key


class RecentDeployments:
    def __init__(
        self, history: DeploymentHistory, refresh_every: timedelta, clock: Callable[[], datetime]
    ) -> None:
        self._history = history
        self._refresh_every = refresh_every
        self._clock = clock
        self._records: dict[tuple[str, str], DeploymentRecord] = {}
        self._read_whole_at: datetime | None = None

    def records(self) -> list[DeploymentRecord]:
        now = self._clock()
        if self._read_whole_at is None or now - self._read_whole_at >= self._refresh_every:
            self._records = {}
            self._add(self._history.every())
            self._read_whole_at = now
        else:
            for day in sorted({(now - timedelta(days=1)).date(), now.date()}):
                self._add(self._history.on_day(day))
        live = now.timestamp()
        self._records = {k: r for k, r in self._records.items() if r.expires_at > live}
        return list(self._records.values())

    def _add(self, records: list[DeploymentRecord]) -> None:
        self._records.update(((r.deployment_id, sort_key(r.timestamp)), r) for r in records)
