"""The ArgoCD target end to end: a real git commit with a Terraform module → TFC run → ArgoCD canary,
gated by Prometheus — each peer a local server speaking its API."""

from __future__ import annotations

import gzip
import subprocess
from pathlib import Path
from typing import Any

import pytest
from agentic_common.events.observability import Slo
from agentic_deployment.adapters.remote.argocd import ArgoCd
from agentic_deployment.adapters.remote.http_api import ApiClient
from agentic_deployment.adapters.remote.prometheus_gate import PrometheusGate
from agentic_deployment.adapters.remote.remote_target import ArgoActions, RemoteTarget, module_archive
from agentic_deployment.adapters.remote.terraform_cloud import TerraformCloud
from agentic_deployment.logic.polling import Backoff
from agentic_deployment.logic.remote_deploy import RemoteDeployer
from agentic_deployment.logic.step_gate import judge_step
from agentic_deployment.ports import DeployError, DeployRequest, Gate
from agentic_deployment.settings import DeploymentSettings
from deployment_peer import RecordingServer, Reply
from test_deployment_argocd_contract import FakeArgo
from test_deployment_tfc_contract import FakeTfc

SLO = Slo(p95_latency_ms=500, max_error_rate=0.01, requests=10)
FAST = Backoff(first=0.01, cap=0.02, timeout=5)


def git_repo(tmp_path: Path) -> tuple[str, str]:
    src = tmp_path / "orders"
    (src / "terraform").mkdir(parents=True)
    (src / "terraform" / "main.tf").write_text('resource "aws_s3_bucket" "artifacts" {}\n')
    (src / "deploy" / "dev").mkdir(parents=True)
    (src / "deploy" / "dev" / "manifests.yaml").write_text("kind: Rollout\n")
    run = lambda *args: subprocess.run(["git", *args], cwd=src, check=True, capture_output=True, text=True)  # noqa: E731
    run("init", "-q", "-b", "main")
    run("add", ".")
    run("-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "init")
    return f"file://{src}", run("rev-parse", "HEAD").stdout.strip()


def prometheus(peer: RecordingServer, errors: float) -> None:
    def answer(seen: Any, m: Any) -> Reply:
        query = seen.query["query"]
        value = errors if 'status=~"5.."' in query else 0.04 if "histogram_quantile" in query else 200.0
        return Reply(
            200,
            {
                "status": "success",
                "data": {"resultType": "vector", "result": [{"metric": {}, "value": [0, str(value)]}]},
            },
        )

    peer.route("GET", "/api/v1/query")(answer)


def target(peer: RecordingServer) -> RemoteTarget:
    argocd = ArgoCd("argo-token", peer.url)
    tfc = TerraformCloud("tfc-token", "acme", base_url=peer.url, backoff=FAST)
    metrics = PrometheusGate(ApiClient("Prometheus", peer.url, {}, "PROMETHEUS_TOKEN"))
    deployer = RemoteDeployer(terraform=tfc, gitops=argocd, policy=None, metrics=metrics, backoff=FAST)
    return RemoteTarget(deployer, argocd)


def request(repo: str, commit: str, strategy: str = "canary") -> DeployRequest:
    return DeployRequest(
        deployment_id="dep-1",
        workflow_id="wf-1",
        service_name="orders",
        environment="dev",
        repo_url=repo,
        commit=commit,
        timeout_seconds=60,
        strategy=strategy,  # type: ignore[arg-type]
        gate=Gate(slo=SLO),
    )


def test_a_canary_on_argocd_runs_terraform_first_and_gates_each_step_on_prometheus(
    peer: RecordingServer, tmp_path: Path
) -> None:
    # Given a commit with a Terraform module, and healthy metrics
    tfc, argo = FakeTfc(peer), FakeArgo(peer, pauses=2)
    prometheus(peer, errors=0.0)
    repo, commit = git_repo(tmp_path)
    # When the ArgoCD target deploys it as a canary
    running = target(peer).deploy(request(repo, commit))
    # Then the module went to Terraform Cloud, the app to ArgoCD, and both gates passed on Prometheus
    uploaded = next(iter(tfc.uploads.values()))
    assert b"main.tf" in gzip.decompress(uploaded)
    assert argo.actions == ["resume", "resume"]
    assert running.url == f"{peer.url}/applications/orders-dev"
    assert [(s["weight"], s["passed"]) for s in running.steps] == [(10, True), (50, True), (100, True)]
    assert all(s["measurements"]["requests"] == 200 for s in running.steps)
    assert {s["source"] for s in running.steps} == {"prometheus"}
    promql = [s.query["query"] for s in peer.calls("GET", "/api/v1/query")]
    assert 'sum(increase(http_requests_total{namespace="orders",status=~"5.."}[5m]))' in promql


def test_a_canary_whose_metrics_breach_the_slo_is_rolled_back(peer: RecordingServer, tmp_path: Path) -> None:
    FakeTfc(peer)
    argo = FakeArgo(peer, pauses=2)
    prometheus(peer, errors=30.0)  # 30 of 200 requests failed
    repo, commit = git_repo(tmp_path)
    with pytest.raises(DeployError) as failure:
        target(peer).deploy(request(repo, commit))
    assert "canary gate at 10% failed" in str(failure.value)
    assert argo.actions == ["abort"]


def test_the_module_archive_is_deterministic_and_rooted_at_the_module(tmp_path: Path) -> None:
    (tmp_path / "terraform" / "environments").mkdir(parents=True)
    (tmp_path / "terraform" / "main.tf").write_text("x")
    (tmp_path / "terraform" / "environments" / "dev.tfvars").write_text("y")
    first, second = module_archive(tmp_path), module_archive(tmp_path)
    assert first == second
    assert module_archive(tmp_path / "nowhere") is None


def test_silence_on_prometheus_is_no_verdict(peer: RecordingServer) -> None:
    peer.route("GET", "/api/v1/query")(lambda s, m: Reply(200, {"status": "success", "data": {"result": []}}))
    window = PrometheusGate(ApiClient("Prometheus", peer.url, {}, "t")).measure("orders", 10)
    result = judge_step(10, "10% of traffic", Gate(slo=SLO), window.measurements, source="prometheus")
    assert window.measurements.requests == 0
    assert result.passed is None


def test_the_prometheus_gate_reads_p99_from_its_own_quantile_query(peer: RecordingServer) -> None:
    # Given a Prometheus whose p50, p95 and p99 differ
    by_quantile = {"histogram_quantile(0.5,": 12.0, "histogram_quantile(0.95,": 80.0}
    by_quantile["histogram_quantile(0.99,"] = 250.0

    def answer(seen: Any, m: Any) -> Reply:
        query = seen.query["query"]
        value = next((v for prefix, v in by_quantile.items() if query.startswith(prefix)), 100.0)
        return Reply(
            200, {"status": "success", "data": {"result": [{"metric": {}, "value": [0, str(value)]}]}}
        )

    peer.route("GET", "/api/v1/query")(answer)
    # When the gate measures a step
    window = PrometheusGate(ApiClient("Prometheus", peer.url, {}, "t")).measure("orders", 10)
    # Then each latency is its own quantile (p99 is not p95) and its query is named in the evidence
    measured = window.measurements
    assert (measured.p50_ms, measured.p95_ms, measured.p99_ms) == (12.0, 80.0, 250.0)
    assert window.queries["p99_latency_ms"].startswith("histogram_quantile(0.99,")


def test_the_argocd_target_refuses_to_start_without_its_peers() -> None:
    with pytest.raises(ValueError, match="ARGOCD_URL, ARGOCD_TOKEN, PROMETHEUS_URL"):
        DeploymentSettings(deployment_target="argocd")
    with pytest.raises(ValueError, match="TFC_TOKEN"):
        DeploymentSettings(
            deployment_target="argocd",
            argocd_url="https://argo",
            argocd_token="t",  # type: ignore[arg-type]
            prometheus_url="https://prom",
            tfc_organization="acme",
        )


def test_remediation_actions_on_argocd_restart_roll_back_and_resync_the_application(
    peer: RecordingServer, tmp_path: Path
) -> None:
    # Given an application deployed by the ArgoCD target
    FakeTfc(peer)
    argo = FakeArgo(peer)
    prometheus(peer, errors=0.0)
    repo, commit = git_repo(tmp_path)
    target(peer).deploy(request(repo, commit, strategy="rolling"))
    actions = ArgoActions(ArgoCd("argo-token", peer.url))
    # When remediation restarts, rolls back and resyncs it
    before, _ = actions.restart("orders", "dev", {})
    actions.rollback("orders", "dev", {})
    actions.resync("orders", "dev", {})
    # Then each maps to its ArgoCD call, with the application's state as evidence
    assert before["revision"] == commit
    assert argo.actions == ["restart"]
    assert peer.calls("POST", "/api/v1/applications/orders-dev/rollback")
    assert len(peer.calls("POST", "/api/v1/applications/orders-dev/sync")) == 2
