"""The ServiceNames port: one suite for the test fake and the DynamoDB adapter on the local AWS."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from agentic_common.settings import CommonSettings
from agentic_planner.adapters.service_names import DynamoDBServiceNames
from agentic_planner.ports import ServiceClaim, ServiceNames


class InMemoryServiceNames:
    """The fake: the same conditional semantics over a dict."""

    def __init__(self) -> None:
        self._claims: dict[str, ServiceClaim] = {}

    def get(self, name: str) -> ServiceClaim | None:
        return self._claims.get(name)

    def put(self, claim: ServiceClaim, replacing: ServiceClaim | None) -> tuple[bool, ServiceClaim | None]:
        if (held := self._claims.get(claim.name)) != replacing:
            return False, held
        self._claims[claim.name] = claim
        return True, None


@pytest.fixture(params=["fake", "dynamodb"])
def names(request: pytest.FixtureRequest) -> ServiceNames:
    if request.param == "fake":
        return InMemoryServiceNames()
    settings: CommonSettings = request.getfixturevalue("aws_settings")
    request.getfixturevalue("queue_urls")  # the topology (tables included) is provisioned
    clients: Any = request.getfixturevalue("aws_clients")
    return DynamoDBServiceNames(clients.client("dynamodb"), settings.name("workflows"))


@pytest.fixture
def claim() -> Callable[..., ServiceClaim]:
    name = f"svc-{uuid.uuid4().hex[:8]}"

    def make(language: str = "python", workflow_id: str = "wf-1") -> ServiceClaim:
        return ServiceClaim(name=name, language=language, pattern="rest", workflow_id=workflow_id)

    return make


def test_a_free_name_is_taken_once(names: ServiceNames, claim: Callable[..., ServiceClaim]) -> None:
    # Given a name nobody holds
    first, second = claim("python", "wf-1"), claim("node", "wf-2")
    assert names.get(first.name) is None

    # When two writers take it, both believing it free
    won, lost = names.put(first, None), names.put(second, None)

    # Then only the first holds it, and the refused writer is told who does
    assert (won, lost) == ((True, None), (False, first))
    assert names.get(first.name) == first


def test_a_held_name_moves_only_from_what_the_writer_read(
    names: ServiceNames, claim: Callable[..., ServiceClaim]
) -> None:
    # Given a name held by a python service
    held = claim("python", "wf-1")
    names.put(held, None)

    # When one writer replaces what it read and another replaces a stale copy
    moved = names.put(claim("node", "wf-2"), held)
    stale = names.put(claim("go", "wf-3"), held)

    # Then the first wins, the second is refused and told what holds the name now
    assert moved == (True, None)
    assert stale == (False, claim("node", "wf-2"))
    current = names.get(held.name)
    assert current is not None
    assert (current.language, current.workflow_id) == ("node", "wf-2")
