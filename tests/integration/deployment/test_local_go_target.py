"""The local deploy target builds and runs a Go service (real git, the project's Go toolchain), with one
module and build cache shared by every deploy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from agentic_common.environments.gates import effective_gate
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.python_env import find_uv
from agentic_deployment.ports import DeployError, DeployRequest
from deployment_repos import make_repo

MAIN_GO = """package main

import (
	"encoding/json"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		body := map[string]string{"release": "RELEASE", "version": os.Getenv("SERVICE_VERSION")}
		_ = json.NewEncoder(w).Encode(body)
	})
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil)
}
"""
SERVICE_JSON = {
    "language": "go",
    "install": ["go", "build", "-o", "bin/server", "."],
    "start": ["bin/server"],
    "health": "/health",
}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
"""A first run on a machine compiles the standard library and the modules into the Go cache (minutes)."""


def go_service(release: str, main: str = MAIN_GO) -> dict[str, str]:
    return {
        "go.mod": "module hello\n\ngo 1.26\n",
        "main.go": main.replace("RELEASE", release),
        ".agentic/service.json": json.dumps(SERVICE_JSON),
    }


def request_for(repo_url: str, commit: str, deployment_id: str) -> DeployRequest:
    return DeployRequest(
        deployment_id=deployment_id, workflow_id="wf-go", service_name="hello-go", environment="dev",
        repo_url=repo_url, commit=commit, timeout_seconds=300, gate=effective_gate({}, "dev"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def go_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Go cache for this module's deploys (the standard library is compiled into it once)."""
    return tmp_path_factory.mktemp("go-cache")


def build_entries(go_cache: Path) -> set[str]:
    return {path.name for path in (go_cache / "build").rglob("*-d")}


@pytest.fixture
def go_target(tmp_path: Path, go_cache: Path) -> Iterator[LocalProcessTarget]:
    target = LocalProcessTarget(home=tmp_path / "home", uv=find_uv(), go_cache=go_cache)
    try:
        yield target
    finally:
        target.stop_all()


def test_a_go_service_is_built_with_the_shared_caches_and_answers_health(
    tmp_path: Path, go_cache: Path, go_target: LocalProcessTarget
) -> None:
    # Given a repository holding a Go service
    repo_url, [commit] = make_repo(tmp_path / "git", go_service("one"))

    # When it is deployed
    running = go_target.deploy(request_for(repo_url, commit, "dep-00000000000000g1"))

    # Then the binary it built answers /health with the deployed version
    response = httpx.get(f"{running.url}/health", timeout=5, trust_env=False)
    assert response.json() == {"release": "one", "version": commit[:12]}
    # And the build went to the target's Go cache, not to the service's home
    assert build_entries(go_cache)
    assert not (tmp_path / "home" / "go").exists()


def test_a_second_deploy_reuses_the_build_cache_of_the_first(
    tmp_path: Path, go_cache: Path, go_target: LocalProcessTarget
) -> None:
    # Given a Go service deployed once
    repo_url, [commit] = make_repo(tmp_path / "git", go_service("two"))
    go_target.deploy(request_for(repo_url, commit, "dep-00000000000000g2"))
    cached = build_entries(go_cache)

    # When the same commit is deployed under another deployment id (another checkout directory)
    running = go_target.deploy(request_for(repo_url, commit, "dep-00000000000000g3"))

    # Then it runs, and only its own main package was compiled again: the standard library was reused
    assert httpx.get(f"{running.url}/health", timeout=5, trust_env=False).status_code == 200
    assert len(cached) > 100
    assert len(build_entries(go_cache) - cached) <= 2


def test_a_go_service_that_does_not_compile_fails_the_deploy_with_the_compiler_output(
    tmp_path: Path, go_target: LocalProcessTarget
) -> None:
    # Given a Go service with a type error
    broken = MAIN_GO.replace('os.Getenv("PORT")', "42")
    repo_url, [commit] = make_repo(tmp_path / "git", go_service("one", broken))

    # When it is deployed, Then the deploy fails naming the build command and quoting the compiler
    with pytest.raises(DeployError, match=r"installing the go service failed \(`go build") as failed:
        go_target.deploy(request_for(repo_url, commit, "dep-00000000000000g4"))
    assert "main.go" in str(failed.value)
