"""The monitor thread: polls every interval and at once after a verify task, survives a failed poll, stops
with the worker."""

from __future__ import annotations

import threading

from agentic_observability.logic.deployment_watch import DeploymentWatch
from agentic_observability.worker import start_monitor
from botocore.exceptions import ClientError


class FlakyMonitor:
    """Fails its first poll the way DynamoDB does when throttled, then counts polls."""

    def __init__(self, stop_after: int, stop: threading.Event) -> None:
        self.polls = 0
        self._stop_after, self._stop = stop_after, stop

    def poll_once(self) -> list:
        self.polls += 1
        if self.polls >= self._stop_after:
            self._stop.set()
        if self.polls == 1:
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "Scan")
        return []


def test_the_loop_keeps_polling_after_a_failed_poll_and_stops_with_the_worker():
    # Given a monitor whose first poll fails
    stop = threading.Event()
    monitor = FlakyMonitor(stop_after=3, stop=stop)
    # When the loop runs with a short interval
    thread = start_monitor(monitor, 0.01, stop)  # type: ignore[arg-type]
    thread.join(timeout=10)
    # Then it polled again after the failure and ended when the stop event was set
    assert not thread.is_alive()
    assert monitor.polls == 3


class Table:
    def deployments(self) -> list:
        return []

    def workflows(self) -> list:
        return []


class CountingMonitor:
    def __init__(self) -> None:
        self.polled = threading.Event()
        self.polls = 0

    def poll_once(self) -> list:
        self.polls += 1
        self.polled.set()
        return []


def test_a_verify_task_makes_the_monitor_poll_at_once_and_waking_it_lets_it_stop():
    # Given the loop pausing on the deployment watch with an interval far longer than the test
    stop, monitor = threading.Event(), CountingMonitor()
    watch = DeploymentWatch(Table())
    thread = start_monitor(monitor, 3600, stop, watch.wait)  # type: ignore[arg-type]
    # When a verify task announces a deployment
    watch.announced()
    # Then the monitor polls without waiting for the interval
    assert monitor.polled.wait(timeout=10)
    # And once the worker stops and wakes it, the loop ends without another poll
    stop.set()
    watch.wake()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert monitor.polls == 1
