"""Hostile or careless requests through the real local gateway on loopback: a 4xx problem, never a 5xx.

Each case was a 500 (or a thread held for ever) before (issue 18, finding 7); raw sockets send what
HTTP clients refuse to send.
"""

from __future__ import annotations

import socket

import httpx
import pytest

from tests.integration.api.conftest import Gateway

NESTED = "[" * 1024 + "]" * 1024  # 2 KB
JSON_ROUTES = [
    "/workflows",
    "/deploy",
    "/approvals/apr-1",
    "/policy/validate",
    "/policy/waivers",
    "/alerts/alertmanager",  # no JWT on this route: the entry guard answers before the secret is checked
]
PROBLEM_JSON = "application/problem+json"


def raw_request(gateway: Gateway, head: str, body: bytes = b"") -> tuple[int, str]:
    """Send ``head`` (+ ``body``) on a fresh connection; the status and the whole answer."""
    with socket.create_connection((gateway.host, gateway.port), timeout=30) as conn:
        conn.sendall(head.encode() + b"\r\n" + body)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith((b"}", b"\n", b"\r\n\r\n")):
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    text = answer.decode("utf-8", errors="replace")
    return int(text.split(" ", 2)[1]), text


@pytest.mark.parametrize("path", JSON_ROUTES)
def test_deeply_nested_json_is_a_400_problem_not_a_500(gateway: Gateway, path: str) -> None:
    # Given 2 KB of nested JSON arrays / When it is posted to a JSON route
    answer = httpx.post(
        f"{gateway.url}{path}",
        content=NESTED,
        headers={"Authorization": f"Bearer {gateway.token}", "Content-Type": "application/json"},
    )
    # Then it is refused as a problem naming the body
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json()["errors"][0]["field"] == "body"


def test_multipart_without_a_boundary_is_a_4xx_problem(gateway: Gateway) -> None:
    # Given a multipart content type with no boundary / When posted to /workflows
    answer = httpx.post(
        f"{gateway.url}/workflows",
        content=b"--x\r\n",
        headers={"Authorization": f"Bearer {gateway.token}", "Content-Type": "multipart/form-data"},
    )
    # Then it is a client error in problem form
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"] == PROBLEM_JSON


def test_a_negative_content_length_is_a_400_and_the_connection_is_closed(gateway: Gateway) -> None:
    # Given a request announcing Content-Length: -1 / When it is sent
    status, text = raw_request(
        gateway, "POST /workflows HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: keep-alive\r\n"
    )
    # Then the gateway answers at once (the socket's 30 s timeout would fail this) and names the header
    assert status == 400
    assert "Content-Length" in text
    assert "Connection: close" in text


def test_a_content_length_that_is_not_a_number_is_a_400(gateway: Gateway) -> None:
    status, text = raw_request(gateway, "POST /workflows HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n")
    assert status == 400
    assert PROBLEM_JSON in text


def test_a_body_shorter_than_its_content_length_is_a_400_after_the_read_timeout(gateway: Gateway) -> None:
    # Given a request that announces 100 bytes and sends 10, then waits
    head = "POST /workflows HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
    # When the gateway's read timeout passes
    status, text = raw_request(gateway, head, b'{"a": 1234')
    # Then it answers 400 instead of holding the thread
    assert status == 400
    assert "Content-Length" in text


def test_a_body_over_the_limit_is_a_413_without_reading_it(gateway: Gateway) -> None:
    head = "POST /workflows HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n"
    status, text = raw_request(gateway, head)
    assert status == 413
    assert PROBLEM_JSON in text


def test_head_answers_like_get_without_a_body(gateway: Gateway) -> None:
    answer = httpx.head(f"{gateway.url}/health")
    assert answer.status_code == 200
    assert answer.content == b""


def test_options_lists_the_allowed_methods_without_a_token(gateway: Gateway) -> None:
    answer = httpx.options(f"{gateway.url}/workflows")
    assert answer.status_code == 204
    assert set(answer.headers["allow"].split(", ")) == {"GET", "POST", "HEAD", "OPTIONS"}


def test_an_unknown_route_is_a_404_problem(gateway: Gateway) -> None:
    answer = httpx.get(f"{gateway.url}/nowhere", headers={"Authorization": f"Bearer {gateway.token}"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json()["status"] == 404


def test_an_unknown_method_on_a_known_path_is_a_405_with_allow(gateway: Gateway) -> None:
    answer = httpx.delete(f"{gateway.url}/workflows", headers={"Authorization": f"Bearer {gateway.token}"})
    assert answer.status_code == 405
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert "POST" in answer.headers["allow"]


def test_a_missing_token_is_a_401_problem_with_a_bearer_challenge(gateway: Gateway) -> None:
    answer = httpx.get(f"{gateway.url}/workflows")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_an_unknown_path_under_a_service_prefix_is_a_404_problem_from_that_service(gateway: Gateway) -> None:
    answer = httpx.get(f"{gateway.url}/policy/nowhere", headers={"Authorization": f"Bearer {gateway.token}"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "BREW"])
def test_any_other_method_on_a_known_path_is_a_405_not_a_501(gateway: Gateway, method: str) -> None:
    # Given a method the API never declares / When it is sent to a documented path
    status, text = raw_request(gateway, f"{method} /workflows HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n")
    # Then the answer is 405 naming the allowed methods
    assert status == 405
    assert "Allow: GET, POST" in text


def test_an_idempotency_key_longer_than_documented_is_a_4xx_naming_the_header(gateway: Gateway) -> None:
    # Given a valid request with an Idempotency-Key far over the documented 200 characters
    body = {
        "template": "microservice-rest-api",
        "parameters": {"serviceName": "long-key-api", "language": "python", "environment": "dev"},
    }
    headers = {"Authorization": f"Bearer {gateway.token}", "Idempotency-Key": "k" * 3000}
    # When it is posted
    answer = httpx.post(f"{gateway.url}/workflows", json=body, headers=headers)
    # Then it is refused, naming the header, before anything is stored
    assert answer.status_code == 400, answer.text
    assert answer.json()["errors"][0]["field"] == "Idempotency-Key"
