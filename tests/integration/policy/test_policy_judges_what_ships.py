"""Policy judges what ships, where it ships (issue 13, point 6), on real Git repositories.

A generated repository is committed with real git; then its README's tools leave their caches
(pytest's and ruff's CACHEDIR.TAG, gitignored) and an untracked file beside it. ``agentic policy
validate`` judges the commit only, and each environment's manifests against that environment's limits.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _pytest.cacheprovider import CACHEDIR_TAG_CONTENT
from agentic_cli.main import main
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_policy.adapters.git_files import GitReadError, tracked_files
from agentic_policy.logic.evaluate import PolicyEngine

AWS_KEY_LINE = b'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYzq"\n'


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """orders-api as codegen renders it for prod, committed, then used: caches and an untracked file."""
    root = tmp_path / "orders-api"
    raw = {"serviceName": "orders-api", "language": "python", "database": "postgresql", "pattern": "rest"}
    for path, content in TemplateRenderer().render(parse_parameters(raw | {"environment": "prod"})).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "generated")
    (root / ".pytest_cache").mkdir()
    (root / ".pytest_cache" / "CACHEDIR.TAG").write_bytes(CACHEDIR_TAG_CONTENT)
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff, "ruff is a dev dependency of this workspace"
    subprocess.run([ruff, "check", "--exit-zero", "--quiet", "."], cwd=root, check=True, capture_output=True)
    (root / "scratch.py").write_bytes(AWS_KEY_LINE)  # untracked
    return root


def validate(repo: Path, environment: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(["policy", "validate", str(repo), "--environment", environment, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_the_caches_the_readme_steps_leave_are_on_disk_but_not_in_the_commit(repo: Path) -> None:
    # Given the used repository / When its commit is read
    files = tracked_files(repo)

    # Then the caches exist on disk (gitignored) but only tracked files are read
    assert (repo / ".ruff_cache" / "CACHEDIR.TAG").is_file()
    assert (repo / ".pytest_cache" / "CACHEDIR.TAG").is_file()
    assert not [p for p in files if p.startswith((".pytest_cache/", ".ruff_cache/")) or p == "scratch.py"]
    assert {"Dockerfile", "deploy/prod/manifests.yaml"} <= set(files)


def test_a_generated_repository_after_its_readme_steps_passes_prod(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # When agentic policy validate judges it for prod
    code, report = validate(repo, "prod", capsys)

    # Then nothing blocks: no CACHEDIR.TAG "critical secret", no untracked file
    files = {v["file"] for v in report["violations"]}
    assert not {f for f in files if f and ("CACHEDIR.TAG" in f or f == "scratch.py")}, files
    assert (code, report["blocking"]) == (0, [])


def test_the_prod_manifest_is_judged_against_prod_limits_when_validating_for_dev(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the repository ships deploy/prod (HPA max 10) and deploy/dev manifests
    # When validated for dev (limit 3 replicas)
    _, report = validate(repo, "dev", capsys)

    # Then no COST-003: each manifest met the limits of the environment it ships to
    assert [v for v in report["violations"] if v["rule"] == "COST-003"] == []


def test_a_dev_manifest_over_the_dev_limit_is_still_cost_003_naming_dev(repo: Path) -> None:
    # Given deploy/dev/manifests.yaml asks for 10 replicas, committed
    path = repo / "deploy" / "dev" / "manifests.yaml"
    path.write_text(path.read_text().replace("maxReplicas: 2", "maxReplicas: 10"))
    git(repo, "commit", "-q", "-am", "more replicas in dev")

    # When the commit is judged for prod
    evaluation = PolicyEngine().evaluate(tracked_files(repo), "prod", repository="orders-api")

    # Then COST-003 names the dev manifest and the dev limit
    found = [(v.file, v.message) for v in evaluation.violations if v.rule == "COST-003"]
    assert found == [
        ("deploy/dev/manifests.yaml", "HorizontalPodAutoscaler orders-api asks for 10 replicas; dev allows 3")
    ]


def test_a_committed_secret_is_found_and_an_uncommitted_edit_is_not_judged(repo: Path) -> None:
    # Given one secret committed, and one only in the work tree
    (repo / "settings_local.py").write_bytes(AWS_KEY_LINE)
    git(repo, "add", "settings_local.py")
    git(repo, "commit", "-q", "-m", "oops")
    (repo / "README.md").write_bytes(AWS_KEY_LINE)  # modified, not committed

    # When the commit is judged
    evaluation = PolicyEngine().evaluate(tracked_files(repo), "prod", repository="orders-api")

    # Then the committed secret blocks and the uncommitted one is not there
    secrets = {v.file for v in evaluation.blocking if v.rule.startswith("secret:")}
    assert secrets == {"settings_local.py"}


def test_a_commit_that_does_not_exist_is_a_clear_error(repo: Path) -> None:
    with pytest.raises(GitReadError, match=r"'v9\.9\.9'"):
        tracked_files(repo, "v9.9.9")
