"""`agentic up` serves the Alertmanager webhook with the secret it seeded: a client configured as the
observability guide's alertmanager.yml says (Bearer, the secret from $AGENTIC_HOME) gets its alert in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from agentic_local.shared_secrets import token_path

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.slow


def firing() -> dict[str, Any]:
    alert = {
        "status": "firing",
        "fingerprint": uuid.uuid4().hex,
        "startsAt": datetime.now(UTC).isoformat(),
        "labels": {"alertname": "HighErrorRate", "service": "e2e-webhook", "severity": "critical"},
    }
    return {"version": "4", "status": "firing", "receiver": "agentic", "alerts": [alert]}


def test_the_secret_agentic_up_wrote_under_agentic_home_opens_the_webhook(stack: RunningStack) -> None:
    # Given the secret file `agentic up` created (what alertmanager.yml's credentials_file points at)
    secret = token_path(stack.home, "alertmanager-webhook").read_text().strip()
    # When an alert is posted with it and no JWT
    answer = httpx.post(
        f"{stack.api_url}/alerts/alertmanager",
        json=firing(),
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    # Then it is accepted
    assert answer.status_code == 202, answer.text
    assert answer.json()["new"] == 1


def test_the_running_stack_refuses_the_webhook_without_its_secret(stack: RunningStack) -> None:
    # When an alert is posted with the developer's JWT instead of the webhook secret
    answer = stack.client.post("/alerts/alertmanager", json=firing())
    # Then it is refused with a clear 401
    assert answer.status_code == 401
    assert answer.json()["message"].startswith("the webhook secret is not valid")
