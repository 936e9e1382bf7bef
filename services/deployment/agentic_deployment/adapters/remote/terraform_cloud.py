"""Terraform Cloud (API v2, JSON:API over httpx): workspace, variables, configuration upload, run, apply.

``run`` is idempotent per task: the run message carries the task's marker, and a retried task that
finds a run with that marker follows it instead of starting another. Polling backs off exponentially
(capped) until the run settles; a cancelled workflow cancels the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentic_deployment.adapters.remote.http_api import ApiClient
from agentic_deployment.logic.polling import Backoff
from agentic_deployment.ports import (
    DeployError,
    PlanCheck,
    PlanDecision,
    TerraformRunRequest,
    TerraformRunResult,
    TerraformVariable,
)

JSONAPI = "application/vnd.api+json"
FAILED = frozenset({"errored", "discarded", "canceled", "force_canceled", "policy_soft_failed"})
CONFIRMABLE = frozenset({"planned", "cost_estimated", "policy_checked", "policy_override"})
FINISHED = frozenset({"applied", "planned_and_finished"})


class TerraformCloud:
    """The ``TerraformRunner`` port on app.terraform.io or a Terraform Enterprise host."""

    def __init__(
        self,
        token: str,
        organization: str,
        base_url: str = "https://app.terraform.io",
        backoff: Backoff | None = None,
        **client: Any,
    ) -> None:
        self.organization = organization
        self.base_url = base_url.rstrip("/")
        self.backoff = backoff or Backoff()
        self.api = ApiClient(
            "Terraform Cloud",
            f"{self.base_url}/api/v2",
            {"Authorization": f"Bearer {token}", "Content-Type": JSONAPI},
            "the Terraform Cloud token (secret TFC_TOKEN)",
            **client,
        )

    # -- workspace and variables -------------------------------------------------------------------
    def ensure_workspace(self, name: str) -> str:
        path = f"/organizations/{self.organization}/workspaces"
        found = self.api.request("GET", f"{path}/{name}", ok=(404,))
        if found.status_code == 200:
            return str(found.json()["data"]["id"])
        body = {"data": {"type": "workspaces", "attributes": {"name": name, "auto-apply": False}}}
        created = self.api.request("POST", path, json=body, ok=(409, 422))
        if created.status_code in (409, 422):  # created meanwhile by a concurrent attempt: use that one
            return str(self.api.json("GET", f"{path}/{name}")["data"]["id"])
        return str(created.json()["data"]["id"])

    def set_variables(self, workspace_id: str, variables: tuple[TerraformVariable, ...]) -> None:
        existing = {
            v["attributes"]["key"]: v
            for v in self.api.json("GET", f"/workspaces/{workspace_id}/vars")["data"]
        }
        for var in variables:
            attributes = {
                "key": var.key,
                "value": var.value,
                "category": var.category,
                "hcl": False,
                "sensitive": var.sensitive,
            }
            current = existing.get(var.key)
            if current is None:
                self.api.request(
                    "POST",
                    f"/workspaces/{workspace_id}/vars",
                    json={"data": {"type": "vars", "attributes": attributes}},
                )
            elif current["attributes"].get("sensitive") or current["attributes"].get("value") != var.value:
                self.api.request(
                    "PATCH",
                    f"/workspaces/{workspace_id}/vars/{current['id']}",
                    json={"data": {"type": "vars", "id": current["id"], "attributes": attributes}},
                )

    # -- configuration and run ---------------------------------------------------------------------
    def upload_configuration(self, workspace_id: str, archive: bytes) -> str:
        body = {"data": {"type": "configuration-versions", "attributes": {"auto-queue-runs": False}}}
        data = self.api.json("POST", f"/workspaces/{workspace_id}/configuration-versions", json=body)["data"]
        self.api.request(
            "PUT",
            data["attributes"]["upload-url"],
            content=archive,
            headers={"Content-Type": "application/octet-stream"},
        )
        for _ in self.backoff.waits("configuration upload"):
            status = self.api.json("GET", f"/configuration-versions/{data['id']}")["data"]["attributes"][
                "status"
            ]
            if status == "uploaded":
                return str(data["id"])
            if status == "errored":
                raise DeployError(
                    "Terraform Cloud could not ingest the configuration archive", retryable=False
                )
        raise AssertionError("unreachable")  # pragma: no cover

    def find_run(self, workspace_id: str, marker: str) -> dict[str, Any] | None:
        runs = self.api.json("GET", f"/workspaces/{workspace_id}/runs", params={"page[size]": 50})["data"]
        return next((r for r in runs if marker in (r["attributes"].get("message") or "")), None)

    def create_run(self, workspace_id: str, configuration_id: str, message: str) -> dict[str, Any]:
        body = {
            "data": {
                "type": "runs",
                "attributes": {"message": message, "auto-apply": False},
                "relationships": {
                    "workspace": {"data": {"type": "workspaces", "id": workspace_id}},
                    "configuration-version": {
                        "data": {"type": "configuration-versions", "id": configuration_id}
                    },
                },
            }
        }
        return dict(self.api.json("POST", "/runs", json=body)["data"])

    def cancel(self, run_id: str, comment: str) -> None:
        self.api.request("POST", f"/runs/{run_id}/actions/cancel", json={"comment": comment}, ok=(409,))

    def run(
        self, request: TerraformRunRequest, plan_check: PlanCheck | None, cancelled: Callable[[], bool]
    ) -> TerraformRunResult:
        workspace_id = self.ensure_workspace(request.workspace)
        run = self.find_run(workspace_id, request.marker)
        if run is None:
            self.set_variables(workspace_id, request.variables)
            configuration = self.upload_configuration(workspace_id, request.configuration)
            run = self.create_run(workspace_id, configuration, f"Agentic deploy {request.marker}")
        return self._follow(run["id"], request, plan_check, cancelled)

    def _follow(
        self,
        run_id: str,
        request: TerraformRunRequest,
        plan_check: PlanCheck | None,
        cancelled: Callable[[], bool],
    ) -> TerraformRunResult:
        decision: PlanDecision | None = None
        for _ in self.backoff.waits(f"Terraform run {run_id}"):
            run = self.api.json("GET", f"/runs/{run_id}")["data"]
            status = run["attributes"]["status"]
            if cancelled():
                self.cancel(run_id, "the workflow was cancelled")
                raise DeployError(f"Terraform run {run_id} cancelled with its workflow", retryable=False)
            if status in FAILED:
                raise DeployError(
                    f"Terraform run {run_id} ended {status}: see {self.run_url(request, run_id)}",
                    retryable=False,
                    evidence={"run": run_id, "status": status},
                )
            if status in FINISHED:
                return self._result(run, request, decision)
            if status in CONFIRMABLE and run["attributes"].get("actions", {}).get("is-confirmable"):
                if decision is None and plan_check is not None:
                    decision = plan_check(self.plan_json(run))
                    if not decision.allowed:
                        self.api.request(
                            "POST",
                            f"/runs/{run_id}/actions/discard",
                            json={"comment": f"blocked by policy: {decision.summary}"},
                            ok=(409,),
                        )
                        raise DeployError(
                            f"the Terraform plan was blocked by policy: {decision.summary}",
                            retryable=False,
                            evidence={"violations": list(decision.violations)},
                        )
                if not request.apply_allowed:
                    return self._result(run, request, decision, awaiting_apply=True)
                self.api.request(
                    "POST",
                    f"/runs/{run_id}/actions/apply",
                    json={"comment": f"applied by Agentic {request.marker}"},
                    ok=(409,),
                )
        raise AssertionError("unreachable")  # pragma: no cover

    # -- reading results ---------------------------------------------------------------------------
    def plan_json(self, run: dict[str, Any]) -> bytes:
        plan_id = run["relationships"]["plan"]["data"]["id"]
        return self.api.request("GET", f"/plans/{plan_id}/json-output").content

    def _counts(self, kind: str, rel: dict[str, Any] | None) -> tuple[int, int, int]:
        if not rel or not rel.get("data"):
            return 0, 0, 0
        a = self.api.json("GET", f"/{kind}/{rel['data']['id']}")["data"]["attributes"]
        return (
            int(a.get("resource-additions") or 0),
            int(a.get("resource-changes") or 0),
            int(a.get("resource-destructions") or 0),
        )

    def outputs(self, workspace_id: str) -> dict[str, Any]:
        response = self.api.request(
            "GET",
            f"/workspaces/{workspace_id}/current-state-version",
            params={"include": "outputs"},
            ok=(404,),
        )
        if response.status_code == 404:
            return {}
        included = response.json().get("included") or []
        return {
            o["attributes"]["name"]: (
                "<sensitive>" if o["attributes"].get("sensitive") else o["attributes"].get("value")
            )
            for o in included
            if o.get("type") == "state-version-outputs"
        }

    def run_url(self, request: TerraformRunRequest, run_id: str) -> str:
        return f"{self.base_url}/app/{self.organization}/workspaces/{request.workspace}/runs/{run_id}"

    def _result(
        self,
        run: dict[str, Any],
        request: TerraformRunRequest,
        decision: PlanDecision | None,
        awaiting_apply: bool = False,
    ) -> TerraformRunResult:
        status = run["attributes"]["status"]
        rels = run.get("relationships", {})
        applied = status == "applied"
        added, changed, destroyed = self._counts(
            "applies" if applied else "plans", rels.get("apply" if applied else "plan")
        )
        workspace_id = rels.get("workspace", {}).get("data", {}).get("id")
        outputs = self.outputs(workspace_id) if applied and workspace_id else {}
        return TerraformRunResult(
            run_id=run["id"],
            status=status,
            url=self.run_url(request, run["id"]),
            added=added,
            changed=changed,
            destroyed=destroyed,
            outputs=outputs,
            awaiting_apply=awaiting_apply,
            plan_decision=decision,
        )
