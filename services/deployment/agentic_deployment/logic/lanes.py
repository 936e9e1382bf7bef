"""Which service a message on deployment-tasks is about: two deploys of one service never interleave.

The worker runs several messages at once (``DEPLOY_CONCURRENCY``) but one at a time per service
name (its lane). The name is read from the raw SQS body (an EventBridge event): a remediation
action's ``service``, a deploy task's codegen outputs (``service_name``) or its parameters
(``service``, ``serviceName``). A message whose service cannot be read has no lane: it runs on its
own, and the consumer answers it (rejected, refused or failed) as it would any other.
"""

from __future__ import annotations

import json
from typing import Any


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def service_lane(message: dict[str, Any]) -> str | None:
    """The service name a message deploys or acts on, or None."""
    try:
        detail = json.loads(message.get("Body", "")).get("detail")
    except (ValueError, AttributeError):
        return None
    if not isinstance(detail, dict):
        return None
    upstream = detail.get("upstream")
    codegen = upstream.get("codegen") if isinstance(upstream, dict) else None
    parameters = detail.get("parameters")
    parameters = parameters if isinstance(parameters, dict) else {}
    candidates = (
        detail.get("service"),
        codegen.get("service_name") if isinstance(codegen, dict) else None,
        parameters.get("service"),
        parameters.get("serviceName"),
    )
    return next((name for name in map(_text, candidates) if name), None)
