"""ArgoCD adapter and the remote deploy strategies against a local server speaking ArgoCD API v1."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from agentic_common.environments.gates import effective_gate
from agentic_common.slo import Measurements
from agentic_deployment.adapters.remote.argocd import ArgoCd
from agentic_deployment.adapters.remote.policy_client import PolicyApiClient
from agentic_deployment.logic.polling import Backoff
from agentic_deployment.logic.remote_deploy import RemoteDeployer, RemoteDeployRequest
from agentic_deployment.ports import ApplicationSpec, DeployError, MetricsWindow
from deployment_peer import RecordingServer, Reply, Seen

TOKEN = "argocd-test-token-abcdef"
COMMIT = "c0ffee" * 6 + "beef"


class FakeArgo:
    """Applications whose sync progresses one state per GET; canary/blue-green Rollouts pause for actions."""

    def __init__(self, peer: RecordingServer, outcome: str = "Healthy", pauses: int = 0) -> None:
        self.apps: dict[str, dict[str, Any]] = {}
        self.outcome, self.pauses = outcome, pauses
        self.actions: list[str] = []
        api = "/api/v1/applications"
        peer.route("GET", f"{api}/(?P<name>[^/]+)")(self.get)
        peer.route("POST", api)(self.create)
        peer.route("PUT", f"{api}/(?P<name>[^/]+)")(self.update)
        peer.route("PATCH", f"{api}/(?P<name>[^/]+)")(self.patch)
        peer.route("POST", f"{api}/(?P<name>[^/]+)/sync")(self.sync)
        peer.route("POST", f"{api}/(?P<name>[^/]+)/rollback")(self.rollback)
        peer.route("POST", f"{api}/(?P<name>[^/]+)/resource/actions")(self.action)
        peer.route("GET", f"{api}/(?P<name>[^/]+)/resource-tree")(self.tree)

    def get(self, seen: Seen, m: Any) -> Reply:
        app = self.apps.get(m["name"])
        if app is None:
            return Reply(404, {"error": f'applications.argoproj.io "{m["name"]}" not found', "code": 5})
        if app["todo"]:
            app["status"]["health"]["status"] = app["todo"].pop(0)
            if app["status"]["health"]["status"] in ("Healthy", "Degraded"):
                app["status"]["operationState"]["phase"] = "Succeeded"
                app["status"]["sync"]["status"] = "Synced"
        return Reply(200, app)

    def create(self, seen: Seen, m: Any) -> Reply:
        body = seen.json()
        self.apps[body["metadata"]["name"]] = {
            **body,
            "todo": [],
            "status": {
                "sync": {"status": "OutOfSync"},
                "health": {"status": "Missing"},
                "operationState": {},
                "history": [{"id": 0, "revision": "0" * 40}],
            },
        }
        return Reply(200, body)

    def update(self, seen: Seen, m: Any) -> Reply:
        self.apps[m["name"]]["spec"] = seen.json()["spec"]
        return Reply(200, self.apps[m["name"]])

    def patch(self, seen: Seen, m: Any) -> Reply:
        patch = json.loads(seen.json()["patch"])
        self.apps[m["name"]]["spec"]["syncPolicy"].update(patch["spec"]["syncPolicy"])
        return Reply(200, self.apps[m["name"]])

    def sync(self, seen: Seen, m: Any) -> Reply:
        app, revision = self.apps[m["name"]], seen.json()["revision"]
        status = app["status"]
        status["sync"].update(status="OutOfSync", revision=revision)
        status["operationState"] = {"phase": "Running", "message": "syncing"}
        status["history"].append({"id": len(status["history"]), "revision": revision})
        app["todo"] = ["Progressing"] + (["Suspended"] if self.pauses else [self.outcome])
        return Reply(200, app)

    def action(self, seen: Seen, m: Any) -> Reply:
        self.actions.append(json.loads(seen.body))
        app = self.apps[m["name"]]
        self.pauses -= 1
        app["todo"] = ["Progressing", "Suspended" if self.pauses > 0 else self.outcome]
        return Reply(200, {})

    def rollback(self, seen: Seen, m: Any) -> Reply:
        self.apps[m["name"]]["todo"] = ["Progressing", "Healthy"]
        return Reply(200, self.apps[m["name"]])

    def tree(self, seen: Seen, m: Any) -> Reply:
        return Reply(
            200,
            {
                "nodes": [
                    {"kind": "Service", "name": "orders", "health": {"status": "Healthy"}},
                    {
                        "kind": "Rollout",
                        "name": "orders",
                        "health": {"status": "Degraded", "message": "ProgressDeadlineExceeded"},
                    },
                ]
            },
        )


class Gate:
    """Step metrics: 100 requests at p95 41 ms, 31 of them failing at ``fail_at``."""

    source = "test-metrics"

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at, self.asked = fail_at, []

    def measure(self, namespace: str, weight: int) -> MetricsWindow:
        self.asked.append(weight)
        errors = 31 if weight == self.fail_at else 0
        return MetricsWindow(Measurements(requests=100, errors=errors, p50_ms=12.0, p95_ms=41.0, p99_ms=41.0))


def deployer(peer: RecordingServer, gate: Gate, **kw: Any) -> RemoteDeployer:
    return RemoteDeployer(
        terraform=None,
        gitops=ArgoCd(TOKEN, peer.url, **kw),
        policy=None,
        metrics=gate,
        backoff=Backoff(first=0.01, cap=0.02, timeout=5),
    )


def request(strategy: str = "rolling") -> RemoteDeployRequest:
    return RemoteDeployRequest(
        deployment_id="dep-1",
        workflow_id="wf-1",
        task_id="deploy",
        service="orders",
        environment="staging",
        repo_url="https://gitlab.example.com/acme/orders.git",
        commit=COMMIT,
        gate=effective_gate({}, "staging"),
        strategy=strategy,
    )  # type: ignore[arg-type]


def test_a_rolling_deploy_creates_the_application_with_automated_self_heal_and_prune_syncs_and_waits(
    peer: RecordingServer,
) -> None:
    FakeArgo(peer)
    result = deployer(peer, Gate()).deploy(request(), lambda: False)
    assert result.steps == (
        "application created",
        f"synced to {COMMIT[:12]}",
        "healthy",
        "gate at 100% passed on test-metrics",
    )
    body = peer.calls("POST", "/api/v1/applications")[0].json()
    assert body["spec"]["source"] == {
        "repoURL": "https://gitlab.example.com/acme/orders.git",
        "path": "deploy/staging",
        "targetRevision": COMMIT,
    }
    assert body["spec"]["syncPolicy"]["automated"] == {"selfHeal": True, "prune": True}
    assert body["spec"]["destination"] == {"server": "https://kubernetes.default.svc", "namespace": "orders"}
    assert peer.calls("POST", "/api/v1/applications/orders-staging/sync")[0].json()["revision"] == COMMIT
    assert all(s.headers["authorization"] == f"Bearer {TOKEN}" for s in peer.seen)


def test_the_same_spec_again_changes_nothing_and_a_new_revision_updates_the_application(
    peer: RecordingServer,
) -> None:
    FakeArgo(peer)
    argo = ArgoCd(TOKEN, peer.url)
    spec = ApplicationSpec(
        name="orders-dev",
        project="default",
        repo_url="r",
        path="deploy/dev",
        revision="a",
        namespace="orders",
    )
    assert argo.ensure_application(spec) == "created"
    assert argo.ensure_application(spec) == "unchanged"
    assert argo.ensure_application(ApplicationSpec(**{**spec.__dict__, "revision": "b"})) == "updated"
    assert (
        peer.calls("PUT", "/api/v1/applications/orders-dev")[0].json()["spec"]["source"]["targetRevision"]
        == "b"
    )


def test_a_degraded_sync_reads_the_resource_tree_rolls_back_and_says_why(peer: RecordingServer) -> None:
    fake = FakeArgo(peer, outcome="Degraded")
    with pytest.raises(DeployError) as failure:
        deployer(peer, Gate()).deploy(request(), lambda: False)
    assert "Rollout/orders is Degraded: ProgressDeadlineExceeded" in str(failure.value)
    assert "rolled back to history 0" in str(failure.value)
    assert not failure.value.retryable
    assert fake.apps["orders-staging"]["spec"]["syncPolicy"]["automated"] is None  # auto-sync off first
    assert peer.calls("POST", "/api/v1/applications/orders-staging/rollback")[0].json() == {
        "id": 0,
        "prune": True,
    }


def test_a_canary_walks_10_and_50_percent_asking_the_gate_at_each_pause_and_at_100(
    peer: RecordingServer,
) -> None:
    fake = FakeArgo(peer, pauses=2)
    gate = Gate()
    result = deployer(peer, gate).deploy(request("canary"), lambda: False)
    assert gate.asked == [10, 50, 100]
    assert fake.actions == ["resume", "resume"]
    assert result.steps[-2:] == ("healthy", "gate at 100% passed on test-metrics")
    action = peer.calls("POST", "/api/v1/applications/orders-staging/resource/actions")[0]
    assert action.query == {
        "namespace": "orders",
        "resourceName": "orders",
        "version": "v1alpha1",
        "kind": "Rollout",
        "group": "argoproj.io",
    }


def test_a_canary_that_fails_its_50_percent_gate_is_aborted_and_rolled_back(peer: RecordingServer) -> None:
    fake = FakeArgo(peer, pauses=2)
    with pytest.raises(DeployError) as failure:
        deployer(peer, Gate(fail_at=50)).deploy(request("canary"), lambda: False)
    assert "canary gate at 50% failed (error rate 31.0% exceeds the SLO of 2.0%)" in str(failure.value)
    assert fake.actions == ["resume", "abort"]
    assert peer.calls("POST", "/api/v1/applications/orders-staging/rollback")


def test_blue_green_promotes_the_preview_once_it_passes_its_gate(peer: RecordingServer) -> None:
    fake = FakeArgo(peer, pauses=1)
    gate = Gate()
    result = deployer(peer, gate).deploy(request("blue-green"), lambda: False)
    assert gate.asked == [0, 100]
    assert fake.actions == ["promote-full"]
    assert "promoted green" in result.steps


def test_permission_denied_is_not_retried_and_unavailable_is(peer: RecordingServer) -> None:
    peer.overrides[("GET", "/api/v1/applications/orders-staging")] = Reply(
        403, {"error": "permission denied", "code": 7}
    )
    with pytest.raises(DeployError) as denied:
        deployer(peer, Gate()).deploy(request(), lambda: False)
    assert not denied.value.retryable
    assert "project role" in str(denied.value)
    assert TOKEN not in str(denied.value)
    peer.overrides[("GET", "/api/v1/applications/orders-staging")] = Reply(503, {"message": "upstream down"})
    with pytest.raises(DeployError) as down:
        deployer(peer, Gate()).deploy(request(), lambda: False)
    assert down.value.retryable


def test_the_policy_client_sends_the_plan_as_base64_and_blocks_on_the_answer(peer: RecordingServer) -> None:
    answers = [
        {
            "valid": False,
            "blocks": True,
            "enforcement": "strict",
            "violations": [{"rule": "SEC-001", "severity": "high"}],
        },
        {"valid": False, "blocks": False, "enforcement": "advisory", "violations": [{"rule": "TAG-001"}]},
    ]
    peer.route("POST", "/policy/validate")(lambda s, m: Reply(200, answers.pop(0)))
    client = PolicyApiClient(peer.url, token=lambda: "jwt-for-the-worker")
    blocked = client.check(b'{"resource_changes": []}', "prod")
    assert not blocked.allowed
    assert blocked.summary == "1 violation(s) under strict enforcement: SEC-001"
    sent = peer.calls("POST", "/policy/validate")[0]
    assert sent.json() == {
        "type": "terraform_plan",
        "environment": "prod",
        "content": base64.b64encode(b'{"resource_changes": []}').decode(),
    }
    assert sent.headers["authorization"] == "Bearer jwt-for-the-worker"
    assert client.check(b"{}", "dev").allowed  # advisory: reported, never blocks
