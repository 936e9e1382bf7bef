"""ArgoCD (REST API v1 over httpx, bearer token): applications, sync, status, resource tree, rollback.

Applications get automated sync with self-heal and prune (the reference design's sync policy). A
rollback first turns automated sync off (ArgoCD refuses to roll back an auto-synced application,
and self-heal would undo it), then rolls back to the newest history entry older than the current one.
Argo Rollouts steps are driven through ArgoCD's resource actions on the application's Rollout.
"""

from __future__ import annotations

import json
from typing import Any

from agentic_deployment.adapters.remote.http_api import ApiClient
from agentic_deployment.ports import ApplicationSpec, ApplicationState, DeployError

HEALTHY = "Healthy"


def application_body(spec: ApplicationSpec) -> dict[str, Any]:
    return {
        "metadata": {"name": spec.name, "labels": {"app.kubernetes.io/managed-by": "agentic"}},
        "spec": {
            "project": spec.project,
            "source": {"repoURL": spec.repo_url, "path": spec.path, "targetRevision": spec.revision},
            "destination": {"server": spec.cluster, "namespace": spec.namespace},
            "syncPolicy": {
                "automated": {"selfHeal": spec.self_heal, "prune": spec.prune},
                "syncOptions": ["CreateNamespace=true"],
            },
        },
    }


class ArgoCd:
    """The ``GitOpsController`` port on an ArgoCD API server."""

    def __init__(self, token: str, base_url: str, **client: Any) -> None:
        self.base_url = base_url.rstrip("/")
        self.api = ApiClient(
            "ArgoCD",
            f"{self.base_url}/api/v1",
            {"Authorization": f"Bearer {token}"},
            "the ArgoCD token (secret ARGOCD_TOKEN) and its project role",
            **client,
        )

    def app_url(self, name: str) -> str:
        return f"{self.base_url}/applications/{name}"

    def _get(self, name: str) -> dict[str, Any] | None:
        # ArgoCD answers 403 rather than 404 for an application the token may not see or that is missing
        response = self.api.request("GET", f"/applications/{name}", ok=(404, 403))
        if response.status_code == 403:
            if "permission denied" in response.text and "not found" not in response.text:
                raise DeployError(
                    f"ArgoCD denied access to application {name}: check the token's project role",
                    retryable=False,
                )
            return None
        return None if response.status_code == 404 else dict(response.json())

    def ensure_application(self, spec: ApplicationSpec) -> str:
        body = application_body(spec)
        current = self._get(spec.name)
        if current is None:
            self.api.request("POST", "/applications", json=body)
            return "created"
        wanted, have = body["spec"], current.get("spec", {})
        if all(have.get(key) == value for key, value in wanted.items()):
            return "unchanged"
        updated = {"metadata": {**current.get("metadata", {}), **body["metadata"]}, "spec": wanted}
        self.api.request("PUT", f"/applications/{spec.name}", json=updated)
        return "updated"

    def sync(self, name: str, revision: str) -> None:
        body = {"revision": revision, "prune": True, "strategy": {"hook": {}}}
        response = self.api.request("POST", f"/applications/{name}/sync", json=body, ok=(400,))
        if response.status_code == 400 and "another operation is already in progress" not in response.text:
            raise DeployError(f"ArgoCD refused to sync {name}: {response.text[:300]}", retryable=False)

    def state(self, name: str) -> ApplicationState:
        app = self._get(name)
        if app is None:
            raise DeployError(f"ArgoCD application {name} does not exist", retryable=False)
        status = app.get("status", {})
        operation = status.get("operationState") or {}
        return ApplicationState(
            sync=status.get("sync", {}).get("status", "Unknown"),
            health=status.get("health", {}).get("status", "Unknown"),
            revision=status.get("sync", {}).get("revision"),
            phase=operation.get("phase"),
            message=operation.get("message"),
            history_ids=tuple(int(h["id"]) for h in status.get("history") or []),
        )

    def unhealthy_resources(self, name: str) -> list[str]:
        tree = self.api.json("GET", f"/applications/{name}/resource-tree")
        lines = []
        for node in tree.get("nodes") or []:
            health = node.get("health") or {}
            if health.get("status") not in (None, HEALTHY):
                message = f": {health['message']}" if health.get("message") else ""
                lines.append(f"{node.get('kind')}/{node.get('name')} is {health.get('status')}{message}")
        return lines

    def rollout_action(self, name: str, rollout: str, namespace: str, action: str) -> None:
        params = {
            "namespace": namespace,
            "resourceName": rollout,
            "version": "v1alpha1",
            "kind": "Rollout",
            "group": "argoproj.io",
        }
        self.api.request(
            "POST",
            f"/applications/{name}/resource/actions",
            params=params,
            content=json.dumps(action),
            headers={"Content-Type": "application/json"},
        )

    def rollback(self, name: str) -> int:
        history = self.state(name).history_ids
        if len(history) < 2:
            raise DeployError(
                f"ArgoCD application {name} has no earlier revision to roll back to", retryable=False
            )
        patch = {"spec": {"syncPolicy": {"automated": None}}}
        self.api.request(
            "PATCH",
            f"/applications/{name}",
            json={"name": name, "patch": json.dumps(patch), "patchType": "merge"},
        )
        target = sorted(history)[-2]
        self.api.request("POST", f"/applications/{name}/rollback", json={"id": target, "prune": True})
        return target
