"""The ``PlanPolicy`` port over the policy service's ``POST /policy/validate`` (type terraform_plan).

The deployment agent sends every Terraform plan through it before applying in staging and prod; the
answer's ``blocks`` (what the environment's enforcement level decides) is what stops an apply.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from agentic_deployment.adapters.remote.http_api import ApiClient
from agentic_deployment.ports import PlanDecision

TokenSource = Callable[[], str]


def _summary(answer: dict[str, Any]) -> str:
    violations = answer.get("violations") or []
    if not violations:
        return "no violations"
    rules = ", ".join(sorted({str(v.get("rule")) for v in violations})[:8])
    return f"{len(violations)} violation(s) under {answer.get('enforcement', '?')} enforcement: {rules}"


class PolicyApiClient:
    def __init__(self, base_url: str, token: TokenSource, **client: Any) -> None:
        self._token = token
        self.api = ApiClient(
            "the policy API", base_url, {}, "the platform API token the worker uses", **client
        )

    def check(self, plan_json: bytes, environment: str) -> PlanDecision:
        body = {
            "type": "terraform_plan",
            "environment": environment,
            "content": base64.b64encode(plan_json).decode(),
        }
        answer = self.api.json(
            "POST", "/policy/validate", json=body, headers={"Authorization": f"Bearer {self._token()}"}
        )
        blocks = bool(answer.get("blocks", not answer.get("valid", False)))
        return PlanDecision(
            allowed=not blocks, summary=_summary(answer), violations=tuple(answer.get("violations") or ())
        )
