"""The gate's checks fail on the defects they exist to catch (so a green matrix means something)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from agentic_gate import file_checks, kubernetes_checks
from agentic_gate.combinations import Combination, render_to

AWS_KEY_LIKE = "AKIA" + "Z5GMHYJKLPQR7XNB"  # assembled so this file holds no key-shaped literal
CANARY = Combination("python", "postgresql", "rest", "canary", "sqs")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_to(CANARY, tmp_path_factory.mktemp("pristine"))


@pytest.fixture
def repo(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    for path in pristine.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(pristine)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.slow
def test_a_committed_manifest_that_drifted_from_the_chart_fails_the_helm_check(repo: Path) -> None:
    # Given prod manifests edited by hand (one replica more than the chart renders)
    _edit(repo / "deploy/prod/manifests.yaml", "replicas: 3", "replicas: 4")

    # When the helm check runs
    outcome = kubernetes_checks.check_helm(repo)

    # Then it fails, naming the file
    assert outcome.status == "fail"
    assert "deploy/prod/manifests.yaml differs" in "\n".join(outcome.problems)


@pytest.mark.slow
def test_a_canary_with_other_steps_or_an_invalid_pod_fails_the_kubernetes_check(repo: Path) -> None:
    # Given a Rollout whose first step is 20% and whose container has an unknown field
    manifests = repo / "deploy/dev/manifests.yaml"
    _edit(manifests, "setWeight: 10", "setWeight: 20")
    _edit(manifests, "imagePullPolicy: Always", "imagePullPolicy: Always\n          restartEverything: true")

    # When the kubernetes check runs
    problems = "\n".join(kubernetes_checks.check_kubernetes(repo).problems)

    # Then both defects are reported: the strategy and the strict pod template
    assert "Rollout strategy" in problems
    assert "restartEverything" in problems


@pytest.mark.slow
def test_a_public_unencrypted_bucket_fails_the_terraform_check(repo: Path) -> None:
    # Given the bucket's public access block switched off
    _edit(repo / "terraform/main.tf", "block_public_acls       = true", "block_public_acls       = false")

    # When checkov runs through the gate
    outcome = file_checks.check_terraform(repo)

    # Then a check above LOW fails
    assert outcome.status == "fail"
    assert "CKV_AWS_53" in "\n".join(outcome.problems)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "old", "new", "check"),
    [
        (
            "Dockerfile",
            "WORKDIR /srv\n",
            "WORKDIR /srv\nRUN apt-get update && apt-get install -y curl\n",
            file_checks.check_hadolint,
        ),
        (
            ".gitlab-ci.yml",
            "  stage: lint\n",
            "  stage: lint\n  when: sometimes\n",
            file_checks.check_gitlab_ci,
        ),
        ("openapi.yaml", "openapi: 3.0.3", "openapi: 3.0.3\nwebhooks: 7", file_checks.check_openapi),
        ("app/config.py", '"""Runtime', f'AWS_KEY = "{AWS_KEY_LIKE}"\n"""Runtime', file_checks.check_secrets),
        ("README.md", "# ", "# edited ", file_checks.check_agentic_files),
    ],
    ids=["dockerfile-unpinned-apt", "ci-unknown-when", "openapi-unknown-field", "aws-key", "stale-manifest"],
)
def test_each_file_check_fails_on_its_defect(repo: Path, path: str, old: str, new: str, check) -> None:
    # Given a rendered repository with one defect
    _edit(repo / path, old, new)

    # When the check runs
    outcome = check(repo)

    # Then it fails
    assert outcome.status == "fail", outcome


def test_the_helm_and_jinja_manifests_hold_the_same_objects_for_every_environment(pristine: Path) -> None:
    # Given the rendered committed manifests
    for env in ("dev", "staging", "prod"):
        objects = kubernetes_checks.objects((pristine / "deploy" / env / "manifests.yaml").read_text())

        # Then each environment has its workload, probes and HPA
        kinds = [o["kind"] for o in objects]
        assert kinds.count("Rollout") == 1
        assert {"HorizontalPodAutoscaler", "PodDisruptionBudget", "Service", "NetworkPolicy"} <= set(kinds)
        assert yaml.safe_dump(objects)
