"""One HTTP client for the deployment agent's REST peers (Terraform Cloud, ArgoCD, the policy API).

It maps transport failures and HTTP errors to ``DeployError`` with a message a person can act on:
5xx, 429 and timeouts are retryable; 401/403 name the credential to check; other 4xx are not
retryable and carry the peer's own error text. Tokens never appear in messages.
"""

from __future__ import annotations

from typing import Any

import httpx

from agentic_deployment.ports import DeployError

RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})


def _peer_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors:  # JSON:API (Terraform Cloud)
            first = errors[0]
            if isinstance(first, dict):
                return str(first.get("detail") or first.get("title") or first)[:300]
            return str(first)[:300]
        for key in ("message", "error"):
            if body.get(key):
                return str(body[key])[:300]
    return str(body)[:300]


class ApiClient:
    def __init__(
        self,
        peer: str,
        base_url: str,
        headers: dict[str, str],
        credential_hint: str,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.peer = peer
        self._hint = credential_hint
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=timeout,
            transport=transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (), **kwargs: Any) -> httpx.Response:
        """Send; a status in ``ok`` (e.g. 404 for "not found yet") is returned instead of raised."""
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise DeployError(f"{self.peer} did not answer {method} {path} in time; will retry") from exc
        except httpx.TransportError as exc:
            raise DeployError(
                f"{self.peer} is unreachable ({type(exc).__name__}) on {method} {path}; will retry"
            ) from exc
        if response.is_success or response.status_code in ok:
            return response
        status = response.status_code
        detail = _peer_message(response)
        if status in RETRYABLE:
            raise DeployError(f"{self.peer} answered {status} to {method} {path}: {detail}; will retry")
        if status in (401, 403):
            raise DeployError(
                f"{self.peer} refused {method} {path} ({status}): {detail}. Check {self._hint}.",
                retryable=False,
            )
        raise DeployError(
            f"{self.peer} rejected {method} {path} ({status}): {detail}",
            retryable=False,
            evidence={"status": status},
        )

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.request(method, path, **kwargs).json()
