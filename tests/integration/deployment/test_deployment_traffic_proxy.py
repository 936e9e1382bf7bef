"""The traffic proxy on loopback, in front of two local HTTP servers standing in for two versions."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from agentic_deployment.adapters.local.processes import free_port
from agentic_deployment.adapters.local.traffic_proxy import PIN_HEADER, TrafficProxy
from pytest_httpserver import HTTPServer


@pytest.fixture
def proxy() -> Iterator[TrafficProxy]:
    proxy = TrafficProxy(timeout_seconds=2)
    try:
        yield proxy
    finally:
        proxy.close()


@pytest.fixture
def blue() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as server:
        server.expect_request("/ready").respond_with_json({"version": "blue"})
        server.expect_request("/orders", method="POST").respond_with_json({"created": "blue"}, status=201)
        yield server


@pytest.fixture
def green() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as server:
        server.expect_request("/ready").respond_with_json({"error": "boom"}, status=500)
        yield server


def get(proxy: TrafficProxy, path: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{proxy.url}{path}", headers=headers, timeout=5, trust_env=False)


def test_the_split_is_followed_and_each_version_is_measured(
    proxy: TrafficProxy, blue: HTTPServer, green: HTTPServer
) -> None:
    # Given blue and green behind the proxy at 80/20
    proxy.add_version("blue", blue.url_for("").rstrip("/"))
    proxy.add_version("green", green.url_for("").rstrip("/"))
    proxy.route({"blue": 80, "green": 20})
    # When ten requests pass through it
    statuses = [get(proxy, "/ready").status_code for _ in range(10)]
    # Then eight reached blue and two green, and green's are counted as server errors
    assert statuses.count(200) == 8
    assert statuses.count(500) == 2
    assert (proxy.window("blue").requests, proxy.window("blue").errors) == (8, 0)
    assert (proxy.window("green").requests, proxy.window("green").errors) == (2, 2)
    assert proxy.window("green").p95_ms > 0
    proxy.new_window()
    assert proxy.window("blue").requests == 0
    assert proxy.stats.totals()["blue"] == {"requests": 8, "errors": 0}


def test_a_pinned_request_reaches_its_version_and_bodies_pass_through(
    proxy: TrafficProxy, blue: HTTPServer, green: HTTPServer
) -> None:
    proxy.add_version("blue", blue.url_for("").rstrip("/"))
    proxy.add_version("green", green.url_for("").rstrip("/"))
    proxy.route({"blue": 100})
    assert get(proxy, "/ready", **{PIN_HEADER: "green"}).status_code == 500
    created = httpx.post(f"{proxy.url}/orders", json={"item": "x"}, timeout=5, trust_env=False)
    assert (created.status_code, created.json()) == (201, {"created": "blue"})
    assert blue.log[-1][0].get_json() == {"item": "x"}


def test_an_unreachable_version_is_a_502_counted_as_its_error_and_no_version_is_a_503(
    proxy: TrafficProxy,
) -> None:
    proxy.add_version("gone", f"http://127.0.0.1:{free_port()}")
    proxy.route({"gone": 100})
    assert get(proxy, "/ready").status_code == 502
    assert proxy.window("gone").errors == 1
    proxy.remove_version("gone")
    answer = get(proxy, "/ready")
    assert answer.status_code == 503
    assert "no version takes traffic" in answer.text
