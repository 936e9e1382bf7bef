"""Each environment's manifests are judged against that environment's limits (deploy/<env>/...)."""

from __future__ import annotations

from agentic_policy.logic.engines import Scope
from agentic_policy.logic.evaluate import PolicyEngine

ONLY_REGO = Scope(checkov=False, hadolint=False, kubernetes_schema=False, gitlab_ci=False, secrets=False)


def hpa(max_replicas: int) -> bytes:
    return (
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: orders-api\n"
        f"spec:\n  minReplicas: 1\n  maxReplicas: {max_replicas}\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: orders-api}\n"
    ).encode()


def cost_003(engine: PolicyEngine, files: dict[str, bytes], environment: str) -> list[tuple[str, str]]:
    evaluation = engine.evaluate(files, environment, scope=ONLY_REGO)
    return [(v.file or "", v.message) for v in evaluation.violations if v.rule == "COST-003"]


def test_a_prod_manifest_within_prod_limits_is_not_cost_003_when_validating_dev(engine: PolicyEngine) -> None:
    assert cost_003(engine, {"deploy/prod/manifests.yaml": hpa(10)}, "dev") == []


def test_a_staging_manifest_over_staging_limits_is_cost_003_naming_staging(engine: PolicyEngine) -> None:
    found = cost_003(engine, {"deploy/staging/manifests.yaml": hpa(10)}, "prod")
    assert found == [
        (
            "deploy/staging/manifests.yaml",
            "HorizontalPodAutoscaler orders-api asks for 10 replicas; staging allows 6",
        )
    ]


def test_a_manifest_outside_an_environment_folder_is_judged_for_the_evaluated_environment(
    engine: PolicyEngine,
) -> None:
    found = cost_003(engine, {"k8s/manifests.yaml": hpa(10)}, "dev")
    assert found == [
        ("k8s/manifests.yaml", "HorizontalPodAutoscaler orders-api asks for 10 replicas; dev allows 3")
    ]
