"""The local gateway serves an API function as Lambda does: concurrent requests in separate execution
environments (processes), each request answered with its own event, at most ``instances`` of them."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from agentic_common.topology import ApiRouteSpec
from agentic_local.api_gateway import LocalApiGateway, Router
from agentic_local.auth import LocalVerifier, ensure_signing_key, issue_token

FUNCTION = "tests.integration.local.concurrent_api:handler"
ROUTES = (ApiRouteSpec(path_prefix="/workflows", service="planner", handler=FUNCTION),)


class Api:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.headers = url, {"Authorization": f"Bearer {token}"}

    def get(self, name: str) -> httpx.Response:
        return httpx.get(f"{self.url}/workflows/{name}", headers=self.headers, timeout=120)

    def at_once(self, names: list[str]) -> list[httpx.Response]:
        with ThreadPoolExecutor(len(names)) as pool:
            return list(pool.map(self.get, names))


@pytest.fixture
def gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[Api]:
    parties, instances = request.param
    rendezvous = tmp_path / "rendezvous"
    rendezvous.mkdir()
    monkeypatch.setenv("AGENTIC_TEST_RENDEZVOUS", str(rendezvous))
    monkeypatch.setenv("AGENTIC_TEST_PARTIES", str(parties))
    ensure_signing_key(tmp_path)
    server = LocalApiGateway(Router(ROUTES, instances=instances), LocalVerifier(tmp_path), port=0).start()
    try:
        yield Api(server.url, issue_token(tmp_path))
    finally:
        server.stop()


def _answers(responses: list[httpx.Response]) -> list[dict[str, Any]]:
    assert [r.status_code for r in responses] == [200] * len(responses)
    return [r.json() for r in responses]


@pytest.mark.parametrize("gateway", [(4, 4)], indirect=True)
def test_four_different_requests_at_once_are_each_answered_with_their_own_event(gateway: Api) -> None:
    # Given a function that answers only once four requests are inside it at the same time
    names = [f"wf-{i}" for i in range(4)]
    # When four clients ask for four different workflows at once
    answers = _answers(gateway.at_once(names))
    # Then all four were served side by side, each by its own process, each with its own event
    assert [a["met"] for a in answers] == [True] * 4
    assert len({a["pid"] for a in answers}) == 4
    assert [(a["asked"], a["path"]) for a in answers] == [(n, f"/workflows/{n}") for n in names]


@pytest.mark.parametrize("gateway", [(1, 2)], indirect=True)
def test_more_requests_than_environments_wait_for_one_and_start_no_more_than_the_bound(gateway: Api) -> None:
    # Given a gateway that may start two environments of the function
    names = [f"wf-{i}" for i in range(8)]
    # When eight clients call at once
    answers = _answers(gateway.at_once(names))
    # Then all eight are answered, by at most two processes, each with its own event
    assert len({a["pid"] for a in answers}) <= 2
    assert [a["path"] for a in answers] == [f"/workflows/{n}" for n in names]


@pytest.mark.parametrize("gateway", [(1, 1)], indirect=True)
def test_an_environment_that_dies_is_a_500_and_the_next_request_gets_a_fresh_one(gateway: Api) -> None:
    # Given a function whose one environment has answered once
    before = gateway.get("wf-before").json()["pid"]
    # When a request ends its process
    crashed = gateway.get("crash")
    # Then that request is a 500 problem, and the next one is answered by a new process
    assert crashed.status_code == 500
    assert crashed.json()["error"] == "internal_error"
    after = gateway.get("wf-after").json()
    assert after["pid"] != before
    assert after["path"] == "/workflows/wf-after"


@pytest.mark.parametrize("gateway", [(1, 1)], indirect=True)
def test_a_function_that_raises_is_a_500_and_its_environment_serves_the_next_request(gateway: Api) -> None:
    # Given a function whose one environment has answered once
    before = gateway.get("wf-before").json()["pid"]
    # When a request makes the function raise
    failed = gateway.get("raise")
    # Then that request is a 500 problem, and the same process answers the next one
    assert (failed.status_code, failed.json()["error"]) == (500, "internal_error")
    assert gateway.get("wf-after").json()["pid"] == before
