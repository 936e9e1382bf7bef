"""The built console through the real local gateway on loopback: no token needed for its files."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import httpx
import pytest
from agentic_local.api_gateway import LocalApiGateway, Router
from agentic_local.auth import LocalVerifier, ensure_signing_key
from agentic_local.moto_server import free_port

from scripts.build_console import BUILT, build


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    build()  # what `make console` does: npm ci from the lock and a Vite build, only when stale
    home = tmp_path_factory.mktemp("home")
    ensure_signing_key(home)
    server = LocalApiGateway(Router(()), LocalVerifier(home), free_port()).start()
    yield server.url
    server.stop()


def test_the_console_page_and_its_bundle_are_served(gateway: str) -> None:
    # Given a built console / When its page is fetched without a token
    page = httpx.get(f"{gateway}/console/")
    # Then it is the built index, and the script it names is served as JavaScript
    assert page.status_code == 200
    assert page.text == BUILT.read_text()
    script = page.text.split('src="')[1].split('"')[0]
    assert script.startswith("/console/assets/")
    bundle = httpx.get(f"{gateway}{script}")
    assert bundle.status_code == 200
    assert bundle.headers["content-type"] == "text/javascript; charset=utf-8"


def test_the_bare_prefix_redirects_to_the_folder(gateway: str) -> None:
    answer = httpx.get(f"{gateway}/console")
    assert answer.status_code == 308
    assert answer.headers["location"] == "/console/"


def test_a_path_out_of_the_console_folder_is_a_404_naming_the_page(gateway: str) -> None:
    # Given a request line with a dot-dot segment, sent as is (http.client does not normalise it)
    host, port = gateway.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/console/../package.json")
    answer = connection.getresponse()
    body = json.loads(answer.read())
    connection.close()
    # Then it is refused and nothing of the repository is in the answer
    assert answer.status == 404
    assert "open /console/" in body["detail"]
    assert "agentic-console" not in json.dumps(body)  # the name in console/package.json
