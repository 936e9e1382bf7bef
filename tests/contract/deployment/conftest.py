"""The ``peer`` fixture: a recording local HTTP server, stopped after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from deployment_peer import RecordingServer


@pytest.fixture
def peer() -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    yield server
    server.stop()
