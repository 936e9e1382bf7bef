"""The Lambda handler builds its consumer lazily, once per process."""

from __future__ import annotations

from typing import Any

import pytest
from agentic_policy import bootstrap, handler


class FakeConsumer:
    def __init__(self) -> None:
        self.batches: list[dict[str, Any]] = []

    def handle_batch(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        self.batches.append(event)
        return {"batchItemFailures": []}


def test_the_consumer_is_built_on_the_first_call_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a fresh process (no consumer yet) and a build that counts its calls
    builds: list[FakeConsumer] = []

    def build() -> FakeConsumer:
        builds.append(FakeConsumer())
        return builds[-1]

    monkeypatch.setattr(handler, "_consumer", None)
    monkeypatch.setattr(bootstrap, "build", build)

    # When the handler is called twice
    first = handler.lambda_handler({"Records": []}, None)
    handler.lambda_handler({"Records": []}, None)

    # Then it built once and passed both batches to the same consumer
    assert first == {"batchItemFailures": []}
    assert len(builds) == 1
    assert len(builds[0].batches) == 2
