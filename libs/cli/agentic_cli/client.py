"""A small client for the planner API."""

from __future__ import annotations

from typing import Any

import httpx

from agentic_cli.config import CliError, api_url, token


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
                f"cannot reach the API at {self._http.base_url}: {exc}; is `make up` running?"
            ) from exc
        body: dict[str, Any] = response.json() if response.content else {}
        if response.status_code >= 400:
            problems = "".join(f"\n  - {e['field']}: {e['problem']}" for e in body.get("errors", []))
            raise CliError(
                f"{response.status_code} {body.get('error', '')}: {body.get('message', '')}{problems}"
            )
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
