"""The Lambda entry shim reads the function's secrets from Secrets Manager (moto, over the wire)."""

from __future__ import annotations

import json

import pytest
from agentic_common.redact import redact
from agentic_lambda_entry import EntryConfigError, load_secrets, resolve_handler


@pytest.fixture
def secrets_client(aws_clients):
    return aws_clients.client("secretsmanager")


def _secret(client, name: str, value: str) -> str:
    return client.create_secret(Name=f"infra-entry-test/{name}", SecretString=value)["ARN"]


def test_secret_keys_become_the_environment_variables_the_service_reads(secrets_client):
    # Given a Slack secret with its webhook URL and a references variable naming it
    arn = _secret(secrets_client, "slack-1", json.dumps({"webhook_url": "https://hooks.example.test/T1"}))
    environ = {"AGENTIC_SECRETS": json.dumps({"SLACK_WEBHOOK_URL": {"arn": arn, "key": "webhook_url"}})}
    # When the shim loads the secrets
    filled = load_secrets(environ, secrets_client)
    # Then the variable holds the value
    assert filled == ["SLACK_WEBHOOK_URL"]
    assert environ["SLACK_WEBHOOK_URL"] == "https://hooks.example.test/T1"
    # And it is masked wherever it would appear in text people read
    assert redact("posting to https://hooks.example.test/T1 failed") == "posting to *** failed"


def test_values_that_are_not_credentials_are_not_masked(secrets_client):
    arn = _secret(
        secrets_client,
        "argocd-1",
        json.dumps({"token": "argo-tok-123456", "url": "https://argo.example.test"}),
    )
    environ = {
        "AGENTIC_SECRETS": json.dumps(
            {
                "ARGOCD_TOKEN": {"arn": arn, "key": "token", "mask": True},
                "ARGOCD_URL": {"arn": arn, "key": "url", "mask": False},
            }
        )
    }
    load_secrets(environ, secrets_client)
    assert (
        redact("sync via https://argo.example.test with argo-tok-123456")
        == "sync via https://argo.example.test with ***"
    )


def test_a_key_not_set_yet_leaves_the_variable_unset_and_logs_only_its_name(secrets_client, caplog):
    arn = _secret(secrets_client, "anthropic-1", "{}")
    environ = {"AGENTIC_SECRETS": json.dumps({"ANTHROPIC_API_KEY": {"arn": arn, "key": "api_key"}})}
    assert load_secrets(environ, secrets_client) == []
    assert "ANTHROPIC_API_KEY" not in environ
    assert "ANTHROPIC_API_KEY" in caplog.text


def test_two_variables_from_one_secret_read_it_once(secrets_client):
    arn = _secret(
        secrets_client, "gitlab-1", json.dumps({"token": "glpat-test", "url": "https://gitlab.example.test"})
    )
    environ = {
        "AGENTIC_SECRETS": json.dumps(
            {"GITLAB_TOKEN": {"arn": arn, "key": "token"}, "GITLAB_URL": {"arn": arn, "key": "url"}}
        )
    }
    calls = []
    secrets_client.meta.events.register(
        "before-call.secrets-manager.GetSecretValue", lambda **_: calls.append(1)
    )
    assert load_secrets(environ, secrets_client) == ["GITLAB_TOKEN", "GITLAB_URL"]
    assert len(calls) == 1


def test_a_secret_that_is_not_a_json_object_is_an_error_without_its_value(secrets_client):
    arn = _secret(secrets_client, "broken-1", "hunter2-not-json")
    environ = {"AGENTIC_SECRETS": json.dumps({"TFC_TOKEN": {"arn": arn, "key": "token"}})}
    with pytest.raises(EntryConfigError, match="is not a JSON object") as error:
        load_secrets(environ, secrets_client)
    assert "hunter2" not in str(error.value)


def test_malformed_references_and_handlers_are_named():
    with pytest.raises(EntryConfigError, match="AGENTIC_SECRETS: not valid JSON"):
        load_secrets({"AGENTIC_SECRETS": "{nope"}, client=None)
    with pytest.raises(EntryConfigError, match="AGENTIC_HANDLER: expected module:function"):
        resolve_handler("agentic_planner.handler")


def test_no_secrets_means_no_calls():
    assert load_secrets({}, client=None) == []
