"""The entry point of every Lambda function: resolve the function's secrets, then call the real handler.

``AGENTIC_HANDLER`` names the handler (``module:function``); ``AGENTIC_SECRETS`` maps environment
variables to Secrets Manager JSON keys: ``{"SLACK_WEBHOOK_URL": {"arn": "...", "key": "webhook_url",
"mask": true}}``. Once per process (cold start) each secret is read once and its keys are placed in the
variables the service's settings read; credentials (``mask``) are registered with ``agentic_common.redact``
so they are masked wherever they would appear. Values are never logged; a key that is not set yet leaves
its variable unset (the service then runs without that integration) and is logged by name.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
from collections.abc import Callable, MutableMapping
from typing import Any

from agentic_common.redact import register_secret

log = logging.getLogger("agentic.lambda_entry")
Handler = Callable[[dict[str, Any], Any], Any]
_handler: Handler | None = None


class EntryConfigError(RuntimeError):
    """AGENTIC_HANDLER or AGENTIC_SECRETS is missing or malformed."""


def load_secrets(environ: MutableMapping[str, str], client: Any) -> list[str]:
    """Fill ``environ`` from Secrets Manager; returns the variables that were set."""
    try:
        wanted: dict[str, dict[str, str]] = json.loads(environ.get("AGENTIC_SECRETS") or "{}")
    except json.JSONDecodeError as exc:
        raise EntryConfigError(f"AGENTIC_SECRETS: not valid JSON ({exc.msg})") from None
    values: dict[str, dict[str, Any]] = {}
    filled = []
    for variable, ref in sorted(wanted.items()):
        arn, key = ref["arn"], ref["key"]
        if arn not in values:
            values[arn] = _secret_json(client, arn)
        value = values[arn].get(key)
        if isinstance(value, str) and value:
            environ[variable] = value
            filled.append(variable)
            if ref.get("mask", True):
                register_secret(value)
        else:
            log.warning("secret key %r for %s is not set; running without it", key, variable)
    return filled


def _secret_json(client: Any, arn: str) -> dict[str, Any]:
    text = client.get_secret_value(SecretId=arn).get("SecretString") or "{}"
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise EntryConfigError(f"secret {arn.rsplit(':', 1)[-1]}: its value is not a JSON object") from None
    if not isinstance(value, dict):
        raise EntryConfigError(f"secret {arn.rsplit(':', 1)[-1]}: its value is not a JSON object")
    return value


def resolve_handler(reference: str) -> Handler:
    module, _, name = reference.partition(":")
    if not module or not name:
        raise EntryConfigError(f"AGENTIC_HANDLER: expected module:function, got {reference!r}")
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler


def handler(event: dict[str, Any], context: Any) -> Any:
    global _handler  # noqa: PLW0603 - built once per Lambda process
    if _handler is None:
        import boto3  # noqa: PLC0415 - only in Lambda, after the module is imported

        load_secrets(os.environ, boto3.client("secretsmanager"))
        _handler = resolve_handler(os.environ.get("AGENTIC_HANDLER", ""))
    return _handler(event, context)
