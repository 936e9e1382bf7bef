"""The Python install resolves from uv's cache first and goes to the package index only when the cache
lacks something. A stand-in ``uv`` (a real executable run as a subprocess) records each call and refuses
``--offline`` when told the cache is missing a package; real uv installs are in the integration tests."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from agentic_deployment.adapters.local.install import installed_commit
from agentic_deployment.adapters.local.python_env import env_key, prepare_env
from agentic_deployment.adapters.local.state_file import DeploymentDir
from agentic_deployment.logic.polling import Deadline
from agentic_deployment.ports import DeployError

FAKE_UV = """import json, pathlib, sys
here = pathlib.Path(__file__).parent
calls = here / "calls.jsonl"
with calls.open("a") as out:
    out.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1] == "venv":
    (pathlib.Path(sys.argv[2]) / "bin").mkdir(parents=True)
    (pathlib.Path(sys.argv[2]) / "bin" / "python").touch()
if sys.argv[1:3] == ["pip", "install"]:
    if (here / "other-builds-first").exists():
        building = pathlib.Path(sys.argv[sys.argv.index("--python") + 1]).parent.parent
        final = building.parent / (here / "key").read_text()
        (final / "bin").mkdir(parents=True)
        (final / "bin" / "python").touch()
    if (here / "index-down").exists() or ("--offline" in sys.argv and (here / "cache-misses").exists()):
        print("error: no version of fastapi==9.9.9 in the cache")
        sys.exit(1)
print("installed")
"""


def fake_uv(tmp_path: Path, *conditions: str) -> tuple[str, Path]:
    bin_dir = tmp_path / "fake-uv"
    bin_dir.mkdir()
    (bin_dir / "uv.py").write_text(FAKE_UV)
    uv = bin_dir / "uv"
    uv.write_text(f'#!/bin/sh\nexec {sys.executable} {bin_dir / "uv.py"} "$@"\n')
    uv.chmod(0o755)
    for condition in conditions:
        (bin_dir / condition).touch()
    return str(uv), bin_dir / "calls.jsonl"


def layout(tmp_path: Path, name: str = "dep-1", requirements: str = "fastapi==9.9.9\n") -> DeploymentDir:
    deployment = DeploymentDir(tmp_path / "home" / "deployments" / name)
    deployment.src.mkdir(parents=True)
    (deployment.src / "requirements.txt").write_text(requirements)
    return deployment


def installs(calls: Path) -> list[list[str]]:
    return [
        argv for argv in map(json.loads, calls.read_text().splitlines()) if argv[:2] == ["pip", "install"]
    ]


def test_an_install_the_cache_can_serve_asks_no_index(tmp_path: Path) -> None:
    uv, calls = fake_uv(tmp_path)
    prepare_env(uv, layout(tmp_path), Deadline.after(60))
    [only] = installs(calls)
    assert "--offline" in only


def test_what_the_cache_lacks_is_installed_from_the_index(tmp_path: Path) -> None:
    uv, calls = fake_uv(tmp_path, "cache-misses")
    deployment = layout(tmp_path)
    prepare_env(uv, deployment, Deadline.after(60))
    cached, indexed = installs(calls)
    assert "--offline" in cached
    assert "--offline" not in indexed
    assert "installing again with the package index" in deployment.install_log.read_text()


def test_an_install_that_fails_with_the_index_too_is_a_deploy_error_with_its_log(tmp_path: Path) -> None:
    uv, calls = fake_uv(tmp_path, "index-down")
    with pytest.raises(DeployError, match=r"requirements\.txt") as failed:
        prepare_env(uv, layout(tmp_path), Deadline.after(60))
    assert len(installs(calls)) == 2
    assert "no version of fastapi==9.9.9" in str(failed.value)


def test_the_same_requirements_reuse_one_environment_and_others_get_their_own(tmp_path: Path) -> None:
    uv, calls = fake_uv(tmp_path)
    first, second = layout(tmp_path, "dep-1"), layout(tmp_path, "dep-2")
    other = layout(tmp_path, "dep-3", "fastapi==9.9.8\n")
    prepare_env(uv, first, Deadline.after(60))
    prepare_env(uv, second, Deadline.after(60))
    assert len(installs(calls)) == 1
    assert first.venv.resolve() == second.venv.resolve()
    assert "reusing the environment" in second.install_log.read_text()
    prepare_env(uv, other, Deadline.after(60))
    assert len(installs(calls)) == 2
    assert other.venv.resolve() != first.venv.resolve()
    # the python a service starts with is the deployment's own path (how /proc tells deployments apart)
    assert str(first.python).startswith(str(first.root))
    assert not list((tmp_path / "home" / "python-envs").glob(".build-*"))


def test_a_failed_build_leaves_no_environment_and_the_next_deploy_builds_again(tmp_path: Path) -> None:
    uv, calls = fake_uv(tmp_path, "index-down")
    with pytest.raises(DeployError):
        prepare_env(uv, layout(tmp_path, "dep-1"), Deadline.after(60))
    assert list((tmp_path / "home" / "python-envs").iterdir()) == []
    (calls.parent / "index-down").unlink()
    prepare_env(uv, layout(tmp_path, "dep-2"), Deadline.after(60))
    assert len(installs(calls)) == 3


def test_a_build_another_deployment_finished_first_is_used_and_ours_discarded(tmp_path: Path) -> None:
    uv, calls = fake_uv(tmp_path, "other-builds-first")
    (calls.parent / "key").write_text(env_key(b"fastapi==9.9.9\n"))
    deployment = layout(tmp_path)
    prepare_env(uv, deployment, Deadline.after(60))
    envs = tmp_path / "home" / "python-envs"
    assert [path.name for path in envs.iterdir()] == [env_key(b"fastapi==9.9.9\n")]
    assert deployment.venv.resolve() == envs / env_key(b"fastapi==9.9.9\n")
    assert "built the same environment first" in deployment.install_log.read_text()


def test_an_install_whose_shared_environment_was_cleared_counts_as_not_installed(tmp_path: Path) -> None:
    uv, _calls = fake_uv(tmp_path)
    deployment = layout(tmp_path)
    prepare_env(uv, deployment, Deadline.after(60))
    deployment.installed_marker.write_text(json.dumps({"commit": "abc123", "language": "python"}))
    assert installed_commit(deployment) == "abc123"
    # rm -rf $AGENTIC_HOME/python-envs: a restart must install again, not start a dangling venv
    shutil.rmtree(tmp_path / "home" / "python-envs")
    assert installed_commit(deployment) is None
