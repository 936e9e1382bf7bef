"""A small client for the platform's API: one-line errors, exit code 3 when the platform fails."""

from __future__ import annotations

from typing import Any

import httpx

from agentic_cli.config import CliError, api_url, token


def _problems(body: dict[str, Any]) -> str:
    """``field: problem; field: problem`` from the API's error list (either shape the services answer)."""
    found = []
    for item in body.get("errors") or []:
        if isinstance(item, dict):
            field = item.get("field") or item.get("name") or item.get("pointer") or "?"
            found.append(f"{field}: {item.get('problem') or item.get('reason') or item.get('detail') or ''}")
    return f" ({'; '.join(found)})" if found else ""


def describe_error(status: int, body: Any, text: str) -> str:
    if not isinstance(body, dict):
        return f"{status} {text.strip()[:300]}".strip()
    kind = body.get("error") or body.get("title") or ""
    message = body.get("message") or body.get("detail") or ""
    return " ".join(f"{status} {kind}: {message}{_problems(body)}".split())


class ApiClient:
    def __init__(self, base_url: str | None = None, bearer: str | None = None, timeout: float = 30.0) -> None:
        self._http = httpx.Client(
            base_url=base_url or api_url(),
            timeout=timeout,
            headers={"Authorization": f"Bearer {bearer or token()}"},
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise CliError(
                f"cannot reach the API at {self._http.base_url}: {exc}; is `make up` running?", exit_code=3
            ) from None
        try:
            body: Any = response.json() if response.content else {}
        except ValueError:
            body = None
        if response.status_code >= 400:
            code = 3 if response.status_code >= 500 else 2
            raise CliError(describe_error(response.status_code, body, response.text), exit_code=code)
        if not isinstance(body, dict):
            raise CliError(f"the API answered {method} {path} with a body that is not a JSON object", 3)
        return body

    def create(self, body: dict[str, Any], idempotency_key: str | None = None) -> dict[str, Any]:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._call("POST", "/workflows", json=body, headers=headers)

    def get(self, workflow_id: str) -> dict[str, Any]:
        return self._call("GET", f"/workflows/{workflow_id}")

    def list(self, status: str, limit: int, cursor: str | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"status": status, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self._call("GET", "/workflows", params=params)
