"""The local deploy target against real git, uv and uvicorn: it runs the service, finds it again, stops it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from agentic_common.agent import TaskError
from agentic_common.environments.gates import effective_gate
from agentic_deployment.adapters.local.local_process import LocalProcessTarget
from agentic_deployment.adapters.local.processes import pid_alive
from agentic_deployment.adapters.local.python_env import find_uv
from agentic_deployment.adapters.local.state_file import DeploymentDir, read_state, write_state
from agentic_deployment.ports import DeployRequest
from deployment_repos import crashing_app, healthy_app, make_repo, pids_running_from, stop_aware_app

DEPLOYMENT_ID = "dep-00000000000000aa"


def request_for(repo_url: str, commit: str, timeout_seconds: int = 120) -> DeployRequest:
    return DeployRequest(
        deployment_id=DEPLOYMENT_ID, workflow_id="wf-1", service_name="orders-api", environment="dev",
        repo_url=repo_url, commit=commit, timeout_seconds=timeout_seconds, gate=effective_gate({}, "dev"),
    )  # fmt: skip


def layout_of(home: Path) -> DeploymentDir:
    return DeploymentDir(home.resolve() / "deployments" / DEPLOYMENT_ID)


def get_health(url: str) -> httpx.Response:
    return httpx.get(f"{url}/health", timeout=5, trust_env=False)


@pytest.mark.slow
def test_a_deployed_service_answers_health_at_the_returned_url(
    tmp_path: Path, local_target: LocalProcessTarget
) -> None:
    # Given a repository with two releases of a service
    repo_url, (first, _second) = make_repo(tmp_path / "git", healthy_app("one"), healthy_app("two"))

    # When the first commit is deployed
    running = local_target.deploy(request_for(repo_url, first))

    # Then its /health answers 200 at the returned URL, from exactly that commit, with its settings
    response = get_health(running.url)
    assert response.status_code == 200
    assert response.json() == {"release": "one", "version": first[:12], "environment": "dev"}
    assert running.url == f"http://127.0.0.1:{running.port}"


@pytest.mark.slow
def test_deploying_the_same_id_again_returns_the_service_already_running(
    tmp_path: Path, home: Path, local_target: LocalProcessTarget
) -> None:
    # Given a deployed service
    repo_url, [commit] = make_repo(tmp_path / "git", healthy_app("one"))
    first = local_target.deploy(request_for(repo_url, commit))

    # When the same deployment is asked for again (a redelivered task)
    again = local_target.deploy(request_for(repo_url, commit))

    # Then the same process answers at the same URL, and no second process was started
    assert (again.pid, again.url, again.started_at) == (first.pid, first.url, first.started_at)
    assert pids_running_from(layout_of(home).venv) == [first.pid]


@pytest.mark.slow
def test_stop_all_leaves_no_process_running(
    tmp_path: Path, home: Path, local_target: LocalProcessTarget
) -> None:
    # Given a deployed service
    repo_url, [commit] = make_repo(tmp_path / "git", healthy_app("one"))
    running = local_target.deploy(request_for(repo_url, commit))
    assert running.pid is not None

    # When the target stops everything it started
    local_target.stop_all()

    # Then the process is gone, nothing runs from its venv, and its state file is removed
    assert not pid_alive(running.pid)
    assert pids_running_from(layout_of(home).venv) == []
    assert not layout_of(home).state_file.exists()


@pytest.mark.slow
def test_stop_all_asks_every_service_to_stop_before_any_grace_period_runs_out(
    tmp_path: Path, home: Path
) -> None:
    # Given three services that, asked to stop, exit only once all three were asked (else killed at grace)
    markers = tmp_path / "markers"
    markers.mkdir()
    names = ("alpha", "beta", "gamma")
    target = LocalProcessTarget(home=home, uv=find_uv(), stop_grace_seconds=10)
    try:
        for number, name in enumerate(names, start=1):
            repo_url, [commit] = make_repo(tmp_path / name, stop_aware_app(name, markers, len(names)))
            deployment_id = f"dep-0000000000000{number:03d}"
            request = replace(request_for(repo_url, commit), deployment_id=deployment_id, service_name=name)
            target.deploy(request)

        # When the target stops everything it started
        target.stop_all()
    finally:
        target.stop_all()

    # Then each was asked while the others were still running: all three saw all three asked
    assert sorted(p.name for p in markers.glob("*.saw-all")) == [f"{name}.saw-all" for name in names]


@pytest.mark.slow
def test_a_new_target_finds_the_service_an_earlier_target_started(
    tmp_path: Path, home: Path, local_target: LocalProcessTarget
) -> None:
    # Given a service deployed by one target
    repo_url, [commit] = make_repo(tmp_path / "git", healthy_app("one"))
    first = local_target.deploy(request_for(repo_url, commit))

    # When another target on the same home deploys the same deployment
    again = LocalProcessTarget(home=home, uv=find_uv()).deploy(request_for(repo_url, commit))

    # Then it finds the running service through the state file instead of starting another
    assert (again.pid, again.url) == (first.pid, first.url)


@pytest.mark.slow
def test_reap_orphans_stops_a_service_whose_worker_is_gone(
    tmp_path: Path, home: Path, local_target: LocalProcessTarget, dead_pid: int
) -> None:
    # Given a running service whose state names a worker that has exited
    repo_url, [commit] = make_repo(tmp_path / "git", healthy_app("one"))
    running = local_target.deploy(request_for(repo_url, commit))
    layout = layout_of(home)
    state = read_state(layout.state_file)
    assert state is not None
    write_state(layout.state_file, state.model_copy(update={"worker_pid": dead_pid}))

    # When a new worker's target reaps orphans
    reaped = LocalProcessTarget(home=home, uv=find_uv()).reap_orphans()

    # Then the service was stopped and forgotten
    assert reaped == 1
    assert running.pid is not None
    assert not pid_alive(running.pid)
    assert not layout.state_file.exists()


@pytest.mark.slow
def test_an_app_that_crashes_at_import_fails_retryable_with_its_log_and_leaves_no_process(
    tmp_path: Path, home: Path, local_target: LocalProcessTarget
) -> None:
    # Given a service whose app raises at import
    repo_url, [commit] = make_repo(tmp_path / "git", crashing_app())

    # When it is deployed
    with pytest.raises(TaskError) as raised:
        local_target.deploy(request_for(repo_url, commit))

    # Then the deploy fails as retryable, quoting the end of service.log, and nothing is left running
    assert raised.value.retryable is True
    assert "DATABASE_URL is not set" in str(raised.value)
    assert "exited with code" in str(raised.value)
    assert pids_running_from(layout_of(home).venv) == []
    assert not layout_of(home).state_file.exists()


def test_requirements_that_cannot_be_installed_fail_retryable_with_the_install_log(
    tmp_path: Path, local_target: LocalProcessTarget
) -> None:
    # Given a service whose requirements name a local package that does not exist
    files = healthy_app("one") | {"requirements.txt": "./vendor/orders-client-does-not-exist\n"}
    repo_url, [commit] = make_repo(tmp_path / "git", files)

    # When it is deployed
    with pytest.raises(TaskError) as raised:
        local_target.deploy(request_for(repo_url, commit))

    # Then the deploy fails as retryable, quoting install.log
    assert raised.value.retryable is True
    assert "uv pip exited with code" in str(raised.value)
    assert "orders-client-does-not-exist" in str(raised.value)


def test_a_commit_missing_from_the_repository_fails_for_good(
    tmp_path: Path, local_target: LocalProcessTarget
) -> None:
    # Given a repository that does not hold the requested commit
    repo_url, _ = make_repo(tmp_path / "git", healthy_app("one"))

    # When that commit is deployed
    with pytest.raises(TaskError) as raised:
        local_target.deploy(request_for(repo_url, "f" * 40))

    # Then the deploy fails as not retryable, naming the commit
    assert raised.value.retryable is False
    assert "f" * 40 in str(raised.value)
