"""Terraform Cloud adapter against a local server speaking the TFC API v2 endpoints we use."""

from __future__ import annotations

import gzip
import io
import itertools
import tarfile
from typing import Any

import pytest
from agentic_deployment.adapters.remote.terraform_cloud import TerraformCloud
from agentic_deployment.logic.polling import Backoff
from agentic_deployment.ports import DeployError, PlanDecision, TerraformRunRequest, TerraformVariable
from deployment_peer import RecordingServer, Reply, Seen

TOKEN = "tfc-test-token-0123456789"
ORG = "acme"
PLAN_JSON = b'{"format_version":"1.2","resource_changes":[{"address":"aws_s3_bucket.artifacts"}]}'


class FakeTfc:
    """Workspaces, vars, configuration versions and runs that progress one status per GET."""

    def __init__(self, peer: RecordingServer, script: tuple[str, ...] = ("planning", "planned")) -> None:
        self.peer, self.script = peer, script
        self.workspaces: dict[str, str] = {}
        self.vars: dict[str, list[dict[str, Any]]] = {}
        self.uploads: dict[str, bytes] = {}
        self.runs: dict[str, dict[str, Any]] = {}
        self.ids = itertools.count(1)
        api = "/api/v2"
        peer.route("GET", f"{api}/organizations/{ORG}/workspaces/(?P<name>[^/]+)")(self.get_workspace)
        peer.route("POST", f"{api}/organizations/{ORG}/workspaces")(self.create_workspace)
        peer.route("GET", f"{api}/workspaces/(?P<ws>[^/]+)/vars")(self.list_vars)
        peer.route("POST", f"{api}/workspaces/(?P<ws>[^/]+)/vars")(self.create_var)
        peer.route("POST", f"{api}/workspaces/(?P<ws>[^/]+)/configuration-versions")(self.create_cv)
        peer.route("PUT", "/upload/(?P<cv>[^/]+)")(self.upload)
        peer.route("GET", f"{api}/configuration-versions/(?P<cv>[^/]+)")(self.get_cv)
        peer.route("GET", f"{api}/workspaces/(?P<ws>[^/]+)/runs")(self.list_runs)
        peer.route("POST", f"{api}/runs")(self.create_run)
        peer.route("GET", f"{api}/runs/(?P<run>[^/]+)")(self.get_run)
        peer.route("POST", f"{api}/runs/(?P<run>[^/]+)/actions/(?P<action>apply|discard|cancel)")(self.action)
        peer.route("GET", f"{api}/plans/(?P<id>[^/]+)")(lambda s, m: self.counts(2, 1, 0))
        peer.route("GET", f"{api}/applies/(?P<id>[^/]+)")(lambda s, m: self.counts(2, 1, 0))
        peer.route("GET", f"{api}/plans/(?P<id>[^/]+)/json-output")(
            lambda s, m: Reply(307, b"", {"Location": f"{peer.url}/archivist/plan-json"})
        )
        peer.route("GET", "/archivist/plan-json")(lambda s, m: Reply(200, PLAN_JSON))
        peer.route("GET", f"{api}/workspaces/(?P<ws>[^/]+)/current-state-version")(self.state)

    def get_workspace(self, seen: Seen, m: Any) -> Reply:
        ws = self.workspaces.get(m["name"])
        return (
            Reply(200, {"data": {"id": ws, "type": "workspaces"}})
            if ws
            else Reply(404, {"errors": [{"status": "404"}]})
        )

    def create_workspace(self, seen: Seen, m: Any) -> Reply:
        name = seen.json()["data"]["attributes"]["name"]
        self.workspaces[name] = f"ws-{next(self.ids)}"
        return Reply(201, {"data": {"id": self.workspaces[name], "type": "workspaces"}})

    def list_vars(self, seen: Seen, m: Any) -> Reply:
        return Reply(200, {"data": self.vars.get(m["ws"], [])})

    def create_var(self, seen: Seen, m: Any) -> Reply:
        var = {"id": f"var-{next(self.ids)}", "attributes": seen.json()["data"]["attributes"]}
        self.vars.setdefault(m["ws"], []).append(var)
        return Reply(201, {"data": var})

    def create_cv(self, seen: Seen, m: Any) -> Reply:
        cv = f"cv-{next(self.ids)}"
        return Reply(201, {"data": {"id": cv, "attributes": {"upload-url": f"{self.peer.url}/upload/{cv}"}}})

    def upload(self, seen: Seen, m: Any) -> Reply:
        self.uploads[m["cv"]] = seen.body
        return Reply(200)

    def get_cv(self, seen: Seen, m: Any) -> Reply:
        return Reply(
            200, {"data": {"attributes": {"status": "uploaded" if m["cv"] in self.uploads else "pending"}}}
        )

    def _run_json(self, run: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": run["id"],
            "type": "runs",
            "attributes": {
                "status": run["status"],
                "message": run["message"],
                "actions": {"is-confirmable": run["status"] == "planned"},
            },
            "relationships": {
                "plan": {"data": {"id": "plan-1"}},
                "apply": {"data": {"id": "apply-1"}},
                "workspace": {"data": {"id": run["ws"]}},
            },
        }

    def list_runs(self, seen: Seen, m: Any) -> Reply:
        return Reply(200, {"data": [self._run_json(r) for r in self.runs.values() if r["ws"] == m["ws"]]})

    def create_run(self, seen: Seen, m: Any) -> Reply:
        body = seen.json()["data"]
        run = {
            "id": f"run-{next(self.ids)}",
            "message": body["attributes"]["message"],
            "status": "pending",
            "ws": body["relationships"]["workspace"]["data"]["id"],
            "todo": list(self.script),
        }
        self.runs[run["id"]] = run
        return Reply(201, {"data": self._run_json(run)})

    def get_run(self, seen: Seen, m: Any) -> Reply:
        run = self.runs[m["run"]]
        if run["todo"]:
            run["status"] = run["todo"].pop(0)
        return Reply(200, {"data": self._run_json(run)})

    def action(self, seen: Seen, m: Any) -> Reply:
        run = self.runs[m["run"]]
        run["todo"] = {"apply": ["applying", "applied"], "discard": ["discarded"], "cancel": ["canceled"]}[
            m["action"]
        ]
        return Reply(202)

    @staticmethod
    def counts(added: int, changed: int, destroyed: int) -> Reply:
        return Reply(
            200,
            {
                "data": {
                    "attributes": {
                        "resource-additions": added,
                        "resource-changes": changed,
                        "resource-destructions": destroyed,
                    }
                }
            },
        )

    def state(self, seen: Seen, m: Any) -> Reply:
        outputs = [
            {"type": "state-version-outputs", "attributes": {"name": "bucket", "value": "acme-artifacts"}},
            {
                "type": "state-version-outputs",
                "attributes": {"name": "db_password", "value": "pw", "sensitive": True},
            },
        ]
        return Reply(200, {"data": {"id": "sv-1"}, "included": outputs})


def archive() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        data = b'resource "aws_s3_bucket" "artifacts" {}\n'
        info = tarfile.TarInfo("main.tf")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def request(
    environment: str = "dev", marker: str = "[agentic workflow=wf-1 task=deploy]"
) -> TerraformRunRequest:
    return TerraformRunRequest(
        workspace=f"orders-{environment}",
        configuration=archive(),
        marker=marker,
        variables=(
            TerraformVariable("environment", environment),
            TerraformVariable("db_password", "s3cr3t!", True),
        ),
        apply_allowed=environment != "prod",
    )


def client(peer: RecordingServer, **kw: Any) -> TerraformCloud:
    return TerraformCloud(
        TOKEN, ORG, base_url=peer.url, backoff=Backoff(first=0.01, cap=0.02, timeout=5), **kw
    )


def never() -> bool:
    return False


def test_a_dev_run_creates_the_workspace_sets_variables_uploads_the_module_applies_and_reports(
    peer: RecordingServer,
) -> None:
    # Given a Terraform Cloud with no workspace for the service
    fake = FakeTfc(peer)
    # When the adapter runs the module for dev
    result = client(peer).run(request(), None, never)
    # Then it applied, and reports counts and outputs (sensitive ones hidden)
    assert (result.status, result.added, result.changed, result.destroyed) == ("applied", 2, 1, 0)
    assert result.outputs == {"bucket": "acme-artifacts", "db_password": "<sensitive>"}
    assert result.url.endswith(f"/app/{ORG}/workspaces/orders-dev/runs/{result.run_id}")
    # and it sent what the API expects
    created = peer.calls("POST", f"/api/v2/organizations/{ORG}/workspaces")[0].json()["data"]
    assert created == {"type": "workspaces", "attributes": {"name": "orders-dev", "auto-apply": False}}
    variables = {v["attributes"]["key"]: v["attributes"] for v in fake.vars["ws-1"]}
    assert variables["db_password"]["sensitive"] is True
    assert variables["environment"] == {
        "key": "environment",
        "value": "dev",
        "category": "terraform",
        "hcl": False,
        "sensitive": False,
    }
    assert gzip.decompress(next(iter(fake.uploads.values())))  # a real tar.gz reached the upload URL
    run = peer.calls("POST", "/api/v2/runs")[0].json()["data"]
    assert "[agentic workflow=wf-1 task=deploy]" in run["attributes"]["message"]
    assert run["relationships"]["configuration-version"]["data"]["type"] == "configuration-versions"
    assert len(peer.calls("POST", "/api/v2/runs/[^/]+/actions/apply")) == 1
    for seen in peer.seen:
        if seen.path.startswith("/api/v2"):
            assert seen.headers["authorization"] == f"Bearer {TOKEN}"
            assert seen.headers["content-type"] == "application/vnd.api+json"


def test_a_retried_task_follows_the_run_its_first_attempt_started(peer: RecordingServer) -> None:
    # Given a run already started by the first attempt of this task
    FakeTfc(peer)
    first = client(peer).run(request(), None, never)
    # When the task is retried
    second = client(peer).run(request(), None, never)
    # Then no second run, configuration version or variable write happens
    assert second.run_id == first.run_id
    assert len(peer.calls("POST", "/api/v2/runs")) == 1
    assert len(peer.calls("POST", "/api/v2/workspaces/[^/]+/configuration-versions")) == 1
    assert len(peer.calls("POST", "/api/v2/workspaces/[^/]+/vars")) == 2


def test_a_staging_plan_blocked_by_policy_is_discarded_and_never_applied(peer: RecordingServer) -> None:
    FakeTfc(peer)
    seen_plans: list[bytes] = []

    def block(plan: bytes) -> PlanDecision:
        seen_plans.append(plan)
        return PlanDecision(False, "1 violation: SEC-001", ({"rule": "SEC-001", "severity": "high"},))

    with pytest.raises(DeployError) as failure:
        client(peer).run(request("staging"), block, never)
    assert "blocked by policy: 1 violation: SEC-001" in str(failure.value)
    assert not failure.value.retryable
    assert seen_plans == [PLAN_JSON]  # the plan JSON, followed through the archivist redirect
    assert len(peer.calls("POST", "/api/v2/runs/[^/]+/actions/discard")) == 1
    assert not peer.calls("POST", "/api/v2/runs/[^/]+/actions/apply")


def test_a_prod_run_stops_at_a_confirmable_plan_for_a_person(peer: RecordingServer) -> None:
    FakeTfc(peer)
    result = client(peer).run(request("prod"), lambda plan: PlanDecision(True, "no violations"), never)
    assert result.awaiting_apply
    assert result.status == "planned"
    assert result.plan_decision == PlanDecision(True, "no violations")
    assert not peer.calls("POST", "/api/v2/runs/[^/]+/actions/apply")


def test_a_run_that_errors_fails_the_task_for_good_with_the_run_link(peer: RecordingServer) -> None:
    FakeTfc(peer, script=("planning", "errored"))
    with pytest.raises(DeployError) as failure:
        client(peer).run(request(), None, never)
    assert "ended errored" in str(failure.value)
    assert f"/app/{ORG}/workspaces/orders-dev/runs/" in str(failure.value)
    assert not failure.value.retryable


def test_a_cancelled_workflow_cancels_its_run(peer: RecordingServer) -> None:
    FakeTfc(peer, script=("planning", "planning", "planning"))
    with pytest.raises(DeployError, match="cancelled with its workflow"):
        client(peer).run(request(), None, lambda: True)
    assert peer.calls("POST", "/api/v2/runs/[^/]+/actions/cancel")[0].json() == {
        "comment": "the workflow was cancelled"
    }


def test_an_unauthorised_token_is_not_retried_and_never_echoed(peer: RecordingServer) -> None:
    peer.overrides[("GET", f"/api/v2/organizations/{ORG}/workspaces/orders-dev")] = Reply(
        401, {"errors": [{"status": "401", "title": "unauthorized"}]}
    )
    with pytest.raises(DeployError) as failure:
        client(peer).run(request(), None, never)
    assert not failure.value.retryable
    assert "Check the Terraform Cloud token" in str(failure.value)
    assert TOKEN not in str(failure.value)


def test_server_errors_and_timeouts_are_retryable(peer: RecordingServer) -> None:
    path = f"/api/v2/organizations/{ORG}/workspaces/orders-dev"
    peer.overrides[("GET", path)] = Reply(503, {"errors": [{"detail": "maintenance"}]})
    with pytest.raises(DeployError) as unavailable:
        client(peer).run(request(), None, never)
    assert unavailable.value.retryable
    assert "503" in str(unavailable.value)
    assert "maintenance" in str(unavailable.value)
    peer.overrides[("GET", path)] = Reply(200, {}, delay=1.0)
    with pytest.raises(DeployError) as slow:
        client(peer, timeout=0.2).run(request(), None, never)
    assert slow.value.retryable
    assert "did not answer" in str(slow.value)


def test_a_validation_error_names_what_terraform_cloud_said(peer: RecordingServer) -> None:
    FakeTfc(peer)
    peer.overrides[("POST", "/api/v2/runs")] = Reply(
        422, {"errors": [{"status": "422", "detail": "Configuration version is still being processed"}]}
    )
    with pytest.raises(DeployError) as failure:
        client(peer).run(request(), None, never)
    assert "(422): Configuration version is still being processed" in str(failure.value)
    assert not failure.value.retryable
