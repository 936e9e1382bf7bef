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


def test_the_api_is_built_on_the_first_call_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a fresh process (no API yet) and a build that counts its calls
    built: list[object] = []

    class FakeApi:
        def resolve(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
            return {"statusCode": 200, "body": event["rawPath"]}

    def build_api() -> FakeApi:
        built.append(FakeApi())
        return built[-1]  # type: ignore[return-value]

    monkeypatch.setattr(handler, "_api", None)
    monkeypatch.setattr(bootstrap, "build_api", build_api)

    # When the API handler is called twice / Then it built once and answered both
    assert handler.api_handler({"rawPath": "/policy/rules"}, None)["body"] == "/policy/rules"
    handler.api_handler({"rawPath": "/policy/waivers"}, None)
    assert len(built) == 1
