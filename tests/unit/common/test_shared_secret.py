"""The webhook's shared secret: Bearer header, constant-time comparison, cached Secrets Manager value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from agentic_common import shared_secret
from agentic_common.redact import redact
from agentic_common.shared_secret import (
    CACHE_SECONDS,
    MIN_REFRESH_SECONDS,
    RejectedError,
    SecretsManagerSecret,
    SecretUnavailableError,
    secret_id_variable,
    secret_name,
    verify_bearer,
)
from agentic_common.topology import ApiRouteSpec, default_topology
from botocore.exceptions import ClientError, EndpointConnectionError
from pydantic import ValidationError

SECRET = "s3cr3t-value-of-the-webhook"


class FixedSecret:
    """A SecretSource holding one value (None: not configured)."""

    def __init__(self, value: str | None) -> None:
        self.value = value

    def current(self, *, refresh: bool = False) -> str | None:
        return self.value


class SecretsClient:
    """Answers get_secret_value like Secrets Manager, from a scripted list of values or errors."""

    def __init__(self, *answers: str | Exception) -> None:
        self.answers = list(answers)
        self.reads = 0

    def get_secret_value(self, SecretId: str) -> dict[str, Any]:  # noqa: N803 - boto3's name
        self.reads += 1
        answer = self.answers[min(self.reads, len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return {"Name": SecretId, "SecretString": answer}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def client_error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "m"}}, "GetSecretValue")


def token(value: str) -> str:
    return json.dumps({"token": value})


def test_the_right_bearer_secret_is_accepted() -> None:
    verify_bearer(f"Bearer {SECRET}", FixedSecret(SECRET))


def test_the_bearer_scheme_is_case_insensitive() -> None:
    verify_bearer(f"bearer {SECRET}", FixedSecret(SECRET))


def test_a_wrong_secret_is_rejected_without_echoing_either_value() -> None:
    # When a request presents another value
    with pytest.raises(RejectedError) as rejected:
        verify_bearer("Bearer not-the-secret", FixedSecret(SECRET))
    # Then the reason says so, and names neither value
    assert str(rejected.value) == "the webhook secret is not valid"
    assert SECRET not in str(rejected.value)
    assert "not-the-secret" not in str(rejected.value)


def test_a_missing_header_is_rejected_with_what_to_send() -> None:
    with pytest.raises(RejectedError, match=r"missing Authorization header: send 'Authorization: Bearer"):
        verify_bearer(None, FixedSecret(SECRET))


def test_another_scheme_is_rejected() -> None:
    with pytest.raises(RejectedError, match="must be 'Bearer <webhook secret>'"):
        verify_bearer(f"Basic {SECRET}", FixedSecret(SECRET))


def test_an_empty_bearer_value_is_rejected() -> None:
    with pytest.raises(RejectedError, match="must be 'Bearer"):
        verify_bearer("Bearer   ", FixedSecret(SECRET))


def test_when_no_secret_is_configured_every_request_is_rejected() -> None:
    with pytest.raises(RejectedError, match="not valid"):
        verify_bearer("Bearer anything", FixedSecret(None))


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a recorder in place of hmac.compare_digest
    compared: list[tuple[bytes, bytes]] = []

    def compare_digest(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr(shared_secret.hmac, "compare_digest", compare_digest)
    # When a request is verified
    verify_bearer(f"Bearer {SECRET}", FixedSecret(SECRET))
    # Then the values were compared by hmac.compare_digest, as bytes
    assert compared == [(SECRET.encode(), SECRET.encode())]


def test_the_secret_is_read_once_and_cached() -> None:
    # Given a secret in Secrets Manager
    client = SecretsClient(token(SECRET))
    source = SecretsManagerSecret(client, "agentic-dev/alertmanager-webhook", clock=Clock())
    # When three requests are verified
    for _ in range(3):
        verify_bearer(f"Bearer {SECRET}", source)
    # Then Secrets Manager was read once
    assert client.reads == 1


def test_a_secret_read_from_the_store_is_masked_in_text_people_read() -> None:
    SecretsManagerSecret(SecretsClient(token("masked-webhook-value")), "s", clock=Clock()).current()
    assert redact("got masked-webhook-value from the store") == "got *** from the store"


def test_the_cache_expires_after_five_minutes() -> None:
    clock = Clock()
    client = SecretsClient(token("old"), token("new"))
    source = SecretsManagerSecret(client, "s", clock=clock)
    assert source.current() == "old"
    clock.now += CACHE_SECONDS
    assert source.current() == "new"


def test_a_rotated_secret_is_accepted_once_the_refresh_interval_has_passed() -> None:
    # Given the old value cached, then rotated in Secrets Manager
    clock = Clock()
    client = SecretsClient(token("old"), token("new"))
    source = SecretsManagerSecret(client, "s", clock=clock)
    verify_bearer("Bearer old", source)
    # When the new value is presented within 30 s, it is refused without hammering the store
    with pytest.raises(RejectedError):
        verify_bearer("Bearer new", source)
    assert client.reads == 1
    # Then after 30 s a mismatch re-reads the secret, and the new value is accepted
    clock.now += MIN_REFRESH_SECONDS
    verify_bearer("Bearer new", source)
    assert client.reads == 2


def test_when_the_store_cannot_be_read_the_last_value_stays_in_use() -> None:
    clock = Clock()
    client = SecretsClient(token(SECRET), EndpointConnectionError(endpoint_url="https://sm.example.test"))
    source = SecretsManagerSecret(client, "s", clock=clock)
    assert source.current() == SECRET
    clock.now += CACHE_SECONDS
    assert source.current() == SECRET


def test_a_store_that_was_never_read_is_unavailable_not_a_rejection() -> None:
    source = SecretsManagerSecret(
        SecretsClient(client_error("ThrottlingException")), "arn:aws:x:s", clock=Clock()
    )
    with pytest.raises(
        SecretUnavailableError, match=r"shared secret s could not be read \(ThrottlingException\)"
    ):
        source.current()


def test_a_secret_that_does_not_exist_is_not_configured() -> None:
    source = SecretsManagerSecret(
        SecretsClient(client_error("ResourceNotFoundException")), "s", clock=Clock()
    )
    assert source.current() is None


@pytest.mark.parametrize("stored", ["{}", "not json", '["token"]', '{"token": ""}', '{"token": 7}'])
def test_a_secret_without_a_token_string_is_not_configured(stored: str) -> None:
    assert SecretsManagerSecret(SecretsClient(stored), "s", clock=Clock()).current() is None


def test_the_secret_name_and_its_variable_follow_the_logical_name() -> None:
    assert secret_name("agentic-prod", "alertmanager-webhook") == "agentic-prod/alertmanager-webhook"
    assert secret_id_variable("alertmanager-webhook") == "ALERTMANAGER_WEBHOOK_SECRET_ID"


def test_the_alertmanager_webhook_is_the_only_shared_secret_route() -> None:
    routes = [r for r in default_topology().api_routes if r.shared_secret]
    assert [(r.path_prefix, r.shared_secret, r.public) for r in routes] == [
        ("/alerts/alertmanager", "alertmanager-webhook", False)
    ]


def test_a_route_cannot_be_both_public_and_shared_secret() -> None:
    with pytest.raises(ValidationError, match="public or has a shared secret, not both"):
        ApiRouteSpec(path_prefix="/x", service="s", handler="m:f", public=True, shared_secret="x")
