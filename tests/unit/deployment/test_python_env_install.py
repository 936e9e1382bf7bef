"""The Python install resolves from uv's cache first and goes to the package index only when the cache
lacks something. A stand-in ``uv`` (a real executable run as a subprocess) records each call and refuses
``--offline`` when told the cache is missing a package; real uv installs are in the integration tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from agentic_deployment.adapters.local.python_env import prepare_env
from agentic_deployment.adapters.local.state_file import DeploymentDir
from agentic_deployment.logic.polling import Deadline
from agentic_deployment.ports import DeployError

FAKE_UV = """import json, pathlib, sys
here = pathlib.Path(__file__).parent
calls = here / "calls.jsonl"
with calls.open("a") as out:
    out.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1:3] == ["pip", "install"]:
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


def layout(tmp_path: Path) -> DeploymentDir:
    deployment = DeploymentDir(tmp_path / "dep-1")
    deployment.src.mkdir(parents=True)
    (deployment.src / "requirements.txt").write_text("fastapi==9.9.9\n")
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
